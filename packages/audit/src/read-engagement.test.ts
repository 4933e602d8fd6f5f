import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "@mine-refine/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAggregateTable, readEventLog } from "./read-engagement.js";

let dir: string;
const knownProductIds = new Set(["p1", "p2"]);
const HEADER = "query_id,product_id,event_type,position,time,session_id";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-read-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join("\n")}\n`, "utf8");
  return path;
}

describe("readEventLog", () => {
  it("aggregates valid events", async () => {
    const path = await write("valid.csv", [
      HEADER,
      "q1,p1,impression,1,2024-01-01T10:00:00Z,s1",
      "q1,p1,click,1,2024-01-01T10:00:05Z,s1",
      "q1,p1,add_to_cart,,2024-01-01T10:01:00Z,s1",
      "q1,p1,impression,3,2024-01-02T10:00:00Z,s2",
      "q1,p1,purchase,,2024-01-02T10:05:00Z,s2",
    ]);
    const { aggregates } = await readEventLog(path, { knownProductIds });
    expect(aggregates).toEqual([
      {
        queryId: "q1",
        productId: "p1",
        impressions: 2,
        clicks: 1,
        addToCarts: 1,
        purchases: 1,
        meanPosition: 2,
        positionCounts: new Map([
          [1, { impressions: 1, clicks: 1 }],
          [3, { impressions: 1, clicks: 0 }],
        ]),
        windowStart: "2024-01-01T10:00:00.000Z",
        windowEnd: "2024-01-02T10:05:00.000Z",
      },
    ]);
  });

  it("derives query ids from normalised text", async () => {
    const path = await write("text.jsonl", [
      JSON.stringify({ query: "Angle  Bracket", product_id: "p1", event_type: "impression", position: 1, time: "2024-01-01T00:00:00Z", session_id: "a" }),
      JSON.stringify({ query: "angle bracket", product_id: "p1", event_type: "impression", position: 2, time: "2024-01-01T00:00:00Z", session_id: "b" }),
    ]);
    const { aggregates } = await readEventLog(path, { knownProductIds });
    expect(aggregates.map((aggregate) => aggregate.impressions)).toEqual([2]);
  });

  const rejectCases: [string, string, string][] = [
    ["unknown_product", "q1,p9,impression,1,2024-01-01T00:00:00Z,s1", "p9"],
    ["missing_position", "q1,p1,impression,,2024-01-01T00:00:00Z,s1", "no position"],
    ["invalid_position", "q1,p1,click,0,2024-01-01T00:00:00Z,s1", "position"],
    ["unknown_event_type", "q1,p1,hover,1,2024-01-01T00:00:00Z,s1", "hover"],
    ["invalid_time", "q1,p1,impression,1,yesterday,s1", "yesterday"],
    ["invalid_time", "q1,p1,impression,1,2024-13-45T00:00:00Z,s1", "2024-13-45"],
    ["missing_value", "q1,p1,impression,1,2024-01-01T00:00:00Z,", "session_id"],
  ];
  for (const [reason, line, detail] of rejectCases) {
    it(`rejects ${reason} (${detail})`, async () => {
      const path = await write(`${reason}-${rejectCases.findIndex(([, l]) => l === line)}.csv`, [HEADER, "q1,p2,impression,1,2024-01-01T00:00:00Z,s0", line]);
      const { aggregates, inconsistencies } = await readEventLog(path, { knownProductIds });
      expect(inconsistencies.rejected[reason as keyof typeof inconsistencies.rejected]?.examples[0]).toMatchObject({ file: path, row: 2 });
      expect(inconsistencies.rejected[reason as keyof typeof inconsistencies.rejected]?.examples[0]?.detail).toContain(detail);
      expect(inconsistencies.rowsUsed).toBe(1);
      expect(aggregates.map((aggregate) => aggregate.productId)).toEqual(["p2"]);
    });
  }

  it("rejects a pair with more clicks than impressions", async () => {
    const path = await write("clicks.csv", [
      HEADER,
      "q1,p1,impression,1,2024-01-01T00:00:00Z,s1",
      "q1,p1,click,1,2024-01-01T00:00:00Z,s1",
      "q1,p1,click,1,2024-01-01T00:00:01Z,s1",
    ]);
    const { aggregates, inconsistencies } = await readEventLog(path, { knownProductIds });
    expect(aggregates.length).toBe(0);
    expect(inconsistencies.rejected.clicks_exceed_impressions?.count).toBe(3);
    expect(inconsistencies.rejected.clicks_exceed_impressions?.examples[0]?.row).toBe(1);
  });

  it("rejects a JSONL line that is not JSON", async () => {
    const path = await write("broken.jsonl", ["{not json"]);
    const { inconsistencies } = await readEventLog(path, { knownProductIds });
    expect(inconsistencies.rejected.malformed_row?.examples[0]?.row).toBe(1);
  });

  it("counts rows by reason", async () => {
    const path = await write("many.csv", [HEADER, ...Array.from({ length: 8 }, (_, i) => `q1,p9,impression,1,2024-01-01T00:00:00Z,s${i}`)]);
    const { inconsistencies } = await readEventLog(path, { knownProductIds, maxExamplesPerReason: 3 });
    expect(inconsistencies.rejected.unknown_product?.count).toBe(8);
    expect(inconsistencies.rejected.unknown_product?.examples.length).toBe(3);
  });

  it("throws on a missing column", async () => {
    const path = await write("no-session.csv", ["query_id,product_id,event_type,position,time", "q1,p1,impression,1,2024-01-01T00:00:00Z"]);
    await expect(readEventLog(path, { knownProductIds })).rejects.toThrow(/lacks session_id/);
  });

  it("throws on an unsupported extension", async () => {
    const path = await write("log.txt", [HEADER]);
    await expect(readEventLog(path, { knownProductIds })).rejects.toBeInstanceOf(InputError);
  });
});

const AGGREGATE_HEADER = "query,product_id,impressions,clicks,add_to_cart,purchases,mean_position";
const window = { start: "2024-01-01T00:00:00Z", end: "2024-01-31T00:00:00Z" };

describe("readAggregateTable", () => {
  it("sums rows of one pair", async () => {
    const path = await write("agg.csv", [AGGREGATE_HEADER, "drill,p1,10,4,1,0,1", "drill,p1,30,2,0,1,3"]);
    const { aggregates } = await readAggregateTable(path, { knownProductIds, window });
    expect(aggregates[0]).toMatchObject({ impressions: 40, clicks: 6, addToCarts: 1, purchases: 1, meanPosition: 2.5 });
  });

  const rejectCases: [string, string][] = [
    ["negative_count", "drill,p1,10,-1,0,0,1"],
    ["clicks_exceed_impressions", "drill,p1,3,4,0,0,1"],
    ["missing_position", "drill,p1,10,1,0,0,"],
    ["invalid_number", "drill,p1,ten,1,0,0,1"],
    ["unknown_product", "drill,p7,10,1,0,0,1"],
  ];
  for (const [reason, line] of rejectCases) {
    it(`rejects ${reason}`, async () => {
      const path = await write(`agg-${reason}.csv`, [AGGREGATE_HEADER, "saw,p2,5,1,0,0,2", line]);
      const { aggregates, inconsistencies } = await readAggregateTable(path, { knownProductIds, window });
      expect(inconsistencies.rejected[reason as keyof typeof inconsistencies.rejected]?.examples[0]).toMatchObject({ file: path, row: 2 });
      expect(aggregates.length).toBe(1);
    });
  }

  it("rejects an unparsable window", async () => {
    const path = await write("agg-window.csv", [`${AGGREGATE_HEADER},window_start,window_end`, "saw,p2,5,1,0,0,2,2024-01-01,soon"]);
    const { inconsistencies } = await readAggregateTable(path, { knownProductIds });
    expect(inconsistencies.rejected.invalid_time?.count).toBe(1);
  });

  it("throws without any window", async () => {
    const path = await write("agg-nowindow.csv", [AGGREGATE_HEADER, "saw,p2,5,1,0,0,2"]);
    await expect(readAggregateTable(path, { knownProductIds })).rejects.toThrow(/window/);
  });
});
