import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Judgment, silentLogger } from "@mine-refine/core";
import { planCappedBatches } from "@mine-refine/losses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTrainConfig } from "../config/load.js";
import type { TrainConfig } from "../config/schema.js";
import type { CliLogger } from "../log.js";
import { runPipeline } from "../pipeline.js";
import { readAugmentationRecord } from "./augment-record.js";
import { restoreAugmentation } from "./augment.js";
import { loadPreparedData, type PreparedData } from "./data.js";

/** A tiny demo run: 300 products, 180 queries, a 16-wide tower and one Stage 1 epoch. */
const CONFIG = `name: augment-test
runDir: run
seed: 42
threads: 1
data:
  source: { kind: demo, seed: 7, products: 300, queriesPerLocale: 60 }
  split: { seed: 13, devFraction: 0.1, testFraction: 0.1 }
model: { buckets: 4096, embeddingDim: 16, hiddenDims: [16], outputDim: 16 }
stage1: { epochs: 1, queriesPerBatch: 16, productsPerQuery: 4, warmupSteps: 2, logEvery: 100 }
stage2: { enabled: false }
store: { enabled: false }
augmentation:
  typos: { enabled: true, ratio: 1.5, seed: 5 }
  synthetic: { enabled: true, judge: human-oracle-for-tests, maxPerProduct: 1, maxJudgedQueries: 1, maxShare: 0.25 }
`;

const quietLogger: CliLogger = { ...silentLogger, attachFile() {}, async flush() {} };

let dir: string;
let config: TrainConfig;
let clean: PreparedData;
let augmented: PreparedData;

function judgmentsOf(prepared: PreparedData, queryId: string): Judgment[] {
  return prepared.dataset.judgments.filter((judgment) => judgment.queryId === queryId);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-augment-"));
  const file = path.join(dir, "run.yaml");
  await writeFile(file, CONFIG);
  config = await loadTrainConfig(file);
  await runPipeline(config, { logger: quietLogger, until: "stage1" });
  clean = await loadPreparedData(config, path.join(config.runDir, "stages", "data"), silentLogger);
  augmented = await restoreAugmentation(clean, path.join(config.runDir, "stages", "augment"));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("augment stage", () => {
  it("keeps every clean query", () => {
    const texts = new Map(augmented.dataset.queries.map((query) => [query.id, query.text]));
    for (const query of clean.dataset.queries) expect(texts.get(query.id)).toBe(query.text);
    expect(augmented.split.train.slice(0, clean.split.train.length)).toEqual(clean.split.train);
  });

  it("adds typo copies with grades", async () => {
    const record = await readAugmentationRecord(path.join(config.runDir, "stages", "augment"));
    const copies = record.queries.filter((query) => query.kind === "typo");
    // A ratio of 1.5 gives one or two copies per query, fewer only for texts too short to misspell.
    expect(copies.length).toBeGreaterThan(clean.split.train.length);
    expect(copies.length).toBeLessThanOrEqual(2 * clean.split.train.length);
    for (const copy of copies) {
      const source = clean.query(copy.sourceQueryId!);
      expect(copy.text).not.toBe(source.text);
      const copied = judgmentsOf(augmented, copy.id).map(({ productId, grade, rawLabel }) => ({ productId, grade, rawLabel }));
      const original = judgmentsOf(clean, source.id).map(({ productId, grade, rawLabel }) => ({ productId, grade, rawLabel }));
      expect(copied).toEqual(original);
    }
  });

  it("copies only training queries", async () => {
    const record = await readAugmentationRecord(path.join(config.runDir, "stages", "augment"));
    const train = new Set(clean.split.train);
    for (const query of record.queries.filter((added) => added.kind === "typo")) expect(train.has(query.sourceQueryId!)).toBe(true);
    expect(augmented.split.dev).toEqual(clean.split.dev);
    expect(augmented.split.test).toEqual(clean.split.test);
  });

  it("adds graded synthetic queries", async () => {
    const record = await readAugmentationRecord(path.join(config.runDir, "stages", "augment"));
    const synthetic = record.queries.filter((query) => query.kind === "synthetic");
    expect(synthetic.length).toBeGreaterThan(0);
    for (const query of synthetic) {
      expect(query.id.startsWith("syn:")).toBe(true);
      expect(judgmentsOf(augmented, query.id).map((judgment) => judgment.productId)).toContain(query.sourceProductId);
    }
  });

  it("caps synthetic queries in Stage 1", async () => {
    const training = JSON.parse(await readFile(path.join(config.runDir, "stages", "stage1", "training.json"), "utf8")) as { steps: number };
    const synthetic = augmented.split.train.filter((id) => id.startsWith("syn:")).length;
    const real = augmented.split.train.length - synthetic;
    expect(synthetic).toBeGreaterThan(0);
    expect(training.steps).toBe(planCappedBatches(real, synthetic, 16, 0.25).length);
  });

  it("restores the same data on resume", async () => {
    const first = JSON.parse(await readFile(path.join(config.runDir, "stages", "stage1", "training.json"), "utf8")) as { losses: number[] };
    await rm(path.join(config.runDir, "stages", "stage1"), { recursive: true });
    await runPipeline(config, { logger: quietLogger, until: "stage1" });
    expect(existsSync(path.join(config.runDir, "stages", "stage1"))).toBe(true);
    const second = JSON.parse(await readFile(path.join(config.runDir, "stages", "stage1", "training.json"), "utf8")) as { losses: number[] };
    // The rerun reloads the augmented data from the augment folder; equal losses show it is the same data.
    expect(second.losses.length).toBe(first.losses.length);
    second.losses.forEach((loss, step) => {
      expect(Math.abs(loss - first.losses[step]!)).toBeLessThan(1e-6);
    });
  }, 120_000);
});

describe("augment stage with the local judge", () => {
  it("trains the judge and replaces texts", async () => {
    const otherDir = await mkdtemp(path.join(tmpdir(), "mr-augment-local-"));
    try {
      const file = path.join(otherDir, "run.yaml");
      await writeFile(file, CONFIG);
      const localConfig = await loadTrainConfig(file, [
        "augmentation.synthetic.judge=local",
        "augmentation.synthetic.minConfidence=0",
        "augmentation.typos.mode=replace",
        "augmentation.typos.ratio=0.5",
      ]);
      await runPipeline(localConfig, { logger: quietLogger, until: "augment" });
      const stageDir = path.join(localConfig.runDir, "stages", "augment");
      const summary = JSON.parse(await readFile(path.join(stageDir, "summary.json"), "utf8")) as { synthetic: { judge: string; judgments: number } };
      expect(existsSync(path.join(stageDir, "local-judge.json"))).toBe(true);
      expect(summary.synthetic.judge).toBe("local");
      expect(summary.synthetic.judgments).toBeGreaterThan(0);

      const record = await readAugmentationRecord(stageDir);
      const train = new Set(clean.split.train);
      expect(record.replaced.length).toBeGreaterThan(0);
      expect(record.queries.filter((query) => query.kind === "typo")).toEqual([]);
      for (const replaced of record.replaced) {
        expect(train.has(replaced.id)).toBe(true);
        expect(replaced.originalText).toBe(clean.query(replaced.id).text);
      }
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  }, 120_000);
});
