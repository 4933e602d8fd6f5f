import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { silentLogger } from "@mine-refine/core";
import { generateDemoCatalog, splitQueries } from "@mine-refine/data";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadTinyDemoConfig } from "../test/tiny-demo-config.js";
import { runJudgeEval, runJudgeExport } from "./judge-command.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-judge-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Judged pairs per split of the tiny demo config. */
function pairCounts(): { train: number; test: number } {
  const catalog = generateDemoCatalog({ seed: 7, products: 300, queriesPerLocale: 40 });
  const split = splitQueries(catalog, { seed: 13, devFraction: 0.1, testFraction: 0.2 });
  const count = (ids: readonly string[]): number => {
    const wanted = new Set(ids);
    return catalog.judgments.filter((judgment) => wanted.has(judgment.queryId)).length;
  };
  return { train: count(split.train), test: count(split.test) };
}

describe("judge command", () => {
  it("evaluates the local judge on test", async () => {
    const config = await loadTinyDemoConfig(dir, "labels: { local: { epochs: 5 } }");
    const { evaluation, report } = await runJudgeEval(config, { judge: "local", split: "test", trainSplit: "train" }, silentLogger);
    expect(evaluation.pairs).toBe(pairCounts().test);
    expect(evaluation.coverage).toBe(1);
    expect(report).toContain("majority baseline");
  });

  it("scores the human judge as unknown pairs", async () => {
    // The human judge has only the train split's labels, so every test pair fails with not_judged.
    const config = await loadTinyDemoConfig(dir);
    const { evaluation } = await runJudgeEval(config, { judge: "human", split: "test", trainSplit: "train" }, silentLogger);
    expect(evaluation.errorCodes.not_judged).toBe(pairCounts().test);
  });

  it("rejects one split for both roles", async () => {
    const config = await loadTinyDemoConfig(dir);
    await expect(runJudgeEval(config, { judge: "local", split: "dev", trainSplit: "dev" }, silentLogger)).rejects.toThrow(/--train-split/);
  });

  it("exports every train pair", async () => {
    const config = await loadTinyDemoConfig(dir);
    await runJudgeExport(config, path.join(dir, "ft"), 0.1, silentLogger);
    const lines = async (name: string): Promise<number> => (await readFile(path.join(dir, "ft", name), "utf8")).trim().split("\n").length;
    expect((await lines("train.jsonl")) + (await lines("validation.jsonl"))).toBe(pairCounts().train);
  });
});
