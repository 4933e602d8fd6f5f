import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FullTextIndex } from "./full-text-index.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-fts-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const DOCUMENTS = [
  "DEWALT 20V MAX cordless drill driver kit",
  "Behr interior paint eggshell white 1 gal",
  "Wooster paint roller cover 9 in",
  "Bosch titanium drill bit set 14 piece",
];

describe("FullTextIndex", () => {
  it("finds the matching document first", async () => {
    const index = await FullTextIndex.create(dir, "text", DOCUMENTS);
    const hits = await index.search("cordless drill", 2);
    expect(hits[0]?.index).toBe(0);
  });

  it("ranks by BM25 with rarer terms weighing more", async () => {
    const index = await FullTextIndex.create(dir, "text", DOCUMENTS);
    const hits = await index.search("paint roller", 4);
    expect(hits.map((hit) => hit.index).slice(0, 2)).toEqual([2, 1]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it("treats query syntax characters as text", async () => {
    const index = await FullTextIndex.create(dir, "text", DOCUMENTS);
    const hits = await index.search('drill "bit" (set):', 1);
    expect(hits[0]?.index).toBe(3);
  });

  it("returns nothing for punctuation only", async () => {
    const index = await FullTextIndex.create(dir, "text", DOCUMENTS);
    expect(await index.search("?!", 3)).toEqual([]);
  });

  it("rejects an empty catalog", async () => {
    await expect(FullTextIndex.create(dir, "text", [])).rejects.toThrow(/no documents/);
  });
});
