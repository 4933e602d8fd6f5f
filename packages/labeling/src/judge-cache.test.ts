import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CachedResponse, JsonlJudgeCache } from "./judge-cache.js";

function entry(promptTokens: number): CachedResponse {
  return { body: { choices: [] }, usage: { promptTokens, completionTokens: 1 }, model: "m", createdAtMs: 0 };
}

describe("JsonlJudgeCache", () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "labeling-jsonl-"));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("reads entries back after reopening", async () => {
    const path = join(directory, "nested", "cache.jsonl");
    await new JsonlJudgeCache(path).put("k1", entry(10));
    expect(await new JsonlJudgeCache(path).get("k1")).toEqual(entry(10));
  });

  it("skips a torn last line", async () => {
    const path = join(directory, "cache.jsonl");
    await new JsonlJudgeCache(path).put("k1", entry(10));
    await appendFile(path, '{"key":"k2","entry":{"bo');
    const reopened = new JsonlJudgeCache(path);
    expect(await reopened.get("k2")).toBeUndefined();
    expect(reopened.skippedLines).toBe(1);
    await reopened.put("k3", entry(30));
    expect(await new JsonlJudgeCache(path).get("k3")).toEqual(entry(30));
  });

  it("writes whole lines under concurrent puts", async () => {
    const path = join(directory, "cache.jsonl");
    const cache = new JsonlJudgeCache(path);
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.put(`k${i}`, entry(i))));
    const lines = (await readFile(path, "utf8")).split("\n").filter((line) => line !== "");
    expect(lines.length).toBe(20);
    expect(lines.every((line) => JSON.parse(line).key.startsWith("k"))).toBe(true);
  });
});
