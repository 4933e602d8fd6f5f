import { writeFile } from "node:fs/promises";
import path from "node:path";
import { loadTrainConfig } from "../config/load.js";
import { trainConfigSchema, type TrainConfig } from "../config/schema.js";

/**
 * Writes and loads a run config for end-to-end tests: a 300-product demo catalog, one Stage 1
 * epoch and a 16-wide tower, so a whole run takes a few seconds. Extra YAML lines are appended, and
 * `overrides` are `--set` style.
 */
export async function loadTinyDemoConfig(dir: string, extraYaml = "", overrides: readonly string[] = []): Promise<TrainConfig> {
  const file = path.join(dir, "tiny.yaml");
  await writeFile(
    file,
    `name: tiny
runDir: run
seed: 3
threads: 1
data:
  source: { kind: demo, seed: 7, products: 300, queriesPerLocale: 40 }
  split: { seed: 13, devFraction: 0.1, testFraction: 0.2 }
model: { buckets: 4096, embeddingDim: 16, hiddenDims: [16], outputDim: 16 }
stage1: { epochs: 1, queriesPerBatch: 8, productsPerQuery: 4, warmupSteps: 2, logEvery: 1000 }
evaluation: { ks: [10], baselines: [] }
${extraYaml}`,
  );
  // Stages added later default to on in some sections; the end-to-end tests cover the stages up to evaluation.
  const off = "stage2" in trainConfigSchema.shape ? ["stage2.enabled=false"] : [];
  return loadTrainConfig(file, [...off, ...overrides]);
}
