import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatTrecRun, writeTrecQrels, writeTrecRun } from "./trec.js";

const run = new Map([
  ["q1", ["p3", "p1"]],
  ["q2", ["p2"]],
]);
const qrels = new Map<string, Map<string, Grade>>([
  [
    "q1",
    new Map<string, Grade>([
      ["p1", GRADE_RELEVANT],
      ["p2", GRADE_IRRELEVANT],
    ]),
  ],
  ["q2", new Map<string, Grade>([["p2", GRADE_MODERATE]])],
]);

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "mine-refine-trec-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("writeTrecRun", () => {
  it("writes rank-derived scores", async () => {
    const path = join(directory, "run.txt");
    await writeTrecRun(path, run, "bm25");
    expect(await readFile(path, "utf8")).toBe("q1 Q0 p3 1 2 bm25\nq1 Q0 p1 2 1 bm25\nq2 Q0 p2 1 1 bm25\n");
  });

  it("writes given scores", async () => {
    const path = join(directory, "run.txt");
    const scores = new Map([
      ["q1", [0.9, 0.25]],
      ["q2", [-0.5]],
    ]);
    await writeTrecRun(path, run, "dense", scores);
    expect(await readFile(path, "utf8")).toBe("q1 Q0 p3 1 0.9 dense\nq1 Q0 p1 2 0.25 dense\nq2 Q0 p2 1 -0.5 dense\n");
  });
});

describe("formatTrecRun", () => {
  it("rejects increasing scores", () => {
    const scores = new Map([
      ["q1", [0.1, 0.2]],
      ["q2", [0]],
    ]);
    expect(() => formatTrecRun(run, "dense", scores)).toThrow(/above the score at rank 1/);
  });

  it("rejects a run name with spaces", () => {
    expect(() => formatTrecRun(run, "my run")).toThrow(/run name "my run" is empty or contains white space/);
  });
});

describe("writeTrecQrels", () => {
  it("writes one line per judgment", async () => {
    const path = join(directory, "qrels.txt");
    await writeTrecQrels(path, qrels);
    expect(await readFile(path, "utf8")).toBe("q1 0 p1 2\nq1 0 p2 0\nq2 0 p2 1\n");
  });
});
