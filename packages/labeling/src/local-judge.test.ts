import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Grade, normalizeText, type Product } from "@mine-refine/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evaluateJudge } from "./evaluate-judge.js";
import { pairKey } from "./judge.js";
import { LocalJudge } from "./local-judge.js";
import { COSINE_FEATURE_NAME } from "./pair-features.js";
import { syntheticPairs } from "./test/synthetic-pairs.js";
import { confidenceOf } from "./test/outcome.js";

const trainPairs = syntheticPairs(120, 1);
const testPairs = syntheticPairs(60, 2);
const truth = new Map<string, Grade>(testPairs.map((pair) => [pairKey(pair.queryId, pair.productId), pair.grade]));
const judge = LocalJudge.train(trainPairs, { seed: 3 });

/** Scores a pair like a two-tower model would, as the cosine of the a–z letter counts of query and title. */
function letterCosine(query: string, product: Product): number {
  const count = (text: string): number[] => {
    const counts = new Array<number>(26).fill(0);
    for (const code of normalizeText(text)) {
      const index = code.charCodeAt(0) - 97;
      if (index >= 0 && index < 26) counts[index]! += 1;
    }
    return counts;
  };
  const a = count(query);
  const b = count(product.title);
  const dot = a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
  const norm = Math.hypot(...a) * Math.hypot(...b);
  return norm === 0 ? 0 : dot / norm;
}

describe("LocalJudge", () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "labeling-local-"));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("beats the majority baseline", async () => {
    const report = evaluateJudge(await judge.grade(testPairs), truth);
    // The generator fixes the baseline at 0.5 (three relevant of six products per query).
    expect(report.majorityBaseline.accuracy).toBeCloseTo(0.5, 12);
    expect(report.accuracy).toBeGreaterThan(report.majorityBaseline.accuracy + 0.2);
    expect(report.quadraticKappa).toBeGreaterThan(0.5);
  });

  it("confidence is the chosen grade's probability", async () => {
    const [result] = await judge.grade(testPairs.slice(0, 6));
    const probabilities = judge.predict(testPairs.slice(0, 6)).subarray(0, 3);
    expect(confidenceOf(result)).toBe(Math.max(...probabilities));
  });

  it("training repeats for a seed", () => {
    const again = LocalJudge.train(trainPairs, { seed: 3 });
    expect(again.predict(testPairs)).toEqual(judge.predict(testPairs));
  });

  it("save and load predict identically", async () => {
    const path = join(directory, "judge.json");
    await judge.save(path);
    const loaded = await LocalJudge.load(path);
    expect(loaded.predict(testPairs)).toEqual(judge.predict(testPairs));
    expect(loaded.features).toEqual(judge.features);
  });

  it("cosine judge needs its scorer on load", async () => {
    const withCosine = LocalJudge.train(trainPairs.slice(0, 60), { seed: 3, cosine: letterCosine, epochs: 5 });
    expect(withCosine.features.at(-1)).toBe(COSINE_FEATURE_NAME);
    const path = join(directory, "cosine.json");
    await withCosine.save(path);
    await expect(LocalJudge.load(path)).rejects.toThrow(/cosine/u);
    const loaded = await LocalJudge.load(path, { cosine: letterCosine });
    expect(loaded.predict(testPairs)).toEqual(withCosine.predict(testPairs));
  });

  it("rejects a file with other features", async () => {
    const path = join(directory, "judge.json");
    await judge.save(path);
    const file = JSON.parse(await readFile(path, "utf8")) as { features: string[] };
    file.features[0] = "renamed_feature";
    await writeFile(path, JSON.stringify(file));
    await expect(LocalJudge.load(path)).rejects.toThrow(/feature list/u);
  });
});
