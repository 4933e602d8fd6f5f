import { GRADE_IRRELEVANT, GRADE_RELEVANT } from "@mine-refine/core";
import { type BatchLossInput, type BatchLossResult, type TrainingBatch, UNJUDGED } from "@mine-refine/losses";
import { afterAll, describe, expect, it } from "vitest";
import { type EncoderConfig, TwoTowerEncoder } from "./encoder.js";
import { OrtMatmul } from "./matmul/ort-matmul.js";
import { trainEncoder } from "./train.js";

/**
 * Test loss: mean over judged cells of (cos(q, p) - target)², with target 1 for relevant and -1
 * for irrelevant pairs. Gradients follow from d cos / d q = p and d cos / d p = q.
 */
function squaredCosineLoss(input: BatchLossInput): BatchLossResult {
  const { queries, products, numQueries, numProducts, dim, grades } = input;
  const gradQueries = new Float32Array(numQueries * dim);
  const gradProducts = new Float32Array(numProducts * dim);
  let judged = 0;
  for (const grade of grades) if (grade !== UNJUDGED) judged++;
  let loss = 0;
  for (let q = 0; q < numQueries; q++) {
    for (let p = 0; p < numProducts; p++) {
      const grade = grades[q * numProducts + p]!;
      if (grade === UNJUDGED) continue;
      const target = grade === GRADE_RELEVANT ? 1 : -1;
      let cosine = 0;
      for (let j = 0; j < dim; j++) cosine += queries[q * dim + j]! * products[p * dim + j]!;
      const difference = cosine - target;
      loss += (difference * difference) / judged;
      const scale = (2 * difference) / judged;
      for (let j = 0; j < dim; j++) {
        gradQueries[q * dim + j]! += scale * products[p * dim + j]!;
        gradProducts[p * dim + j]! += scale * queries[q * dim + j]!;
      }
    }
  }
  return { loss, gradQueries, gradProducts };
}

// Each query is relevant to the product of its colour and irrelevant to the others.
const queryTexts: Record<string, string> = { q1: "red", q2: "blue", q3: "green", q4: "black" };
const productTexts: Record<string, string> = { p1: "crimson drill", p2: "navy hammer", p3: "lime saw", p4: "ebony wrench" };
const queryIds = Object.keys(queryTexts);
const productIds = Object.keys(productTexts);
const grades = new Int8Array(16).fill(GRADE_IRRELEVANT);
for (let i = 0; i < 4; i++) grades[i * 4 + i] = GRADE_RELEVANT;
const batch: TrainingBatch = { queryIds, productIds, grades };

const config: EncoderConfig = {
  featurizer: { buckets: 4096, seed: 2 },
  embeddingDim: 16,
  hiddenDims: [16],
  outputDim: 8,
  pooling: "sqrt",
  activation: "relu",
};

function lookups(encoder: TwoTowerEncoder) {
  return {
    featuresForQuery: (id: string) => encoder.featurizer.featurizeQuery(queryTexts[id]!),
    featuresForProduct: (id: string) => encoder.featurizer.featurizeProduct({ id, title: productTexts[id]!, fields: {} }),
  };
}

function* repeat(count: number): Generator<TrainingBatch> {
  for (let i = 0; i < count; i++) yield batch;
}

const ortMatmul = new OrtMatmul({ intraOpNumThreads: 2 });

afterAll(async () => {
  await ortMatmul.dispose();
});

describe("trainEncoder", () => {
  it("lowers loss on synthetic problem", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    const summary = await trainEncoder({
      encoder,
      batches: repeat(60),
      ...lookups(encoder),
      loss: squaredCosineLoss,
      totalSteps: 60,
      optimizer: { learningRate: 0.05, warmupSteps: 5, decay: "cosine" },
    });
    const first = summary.losses[0]!;
    const last = summary.losses.at(-1)!;
    expect(summary.steps).toBe(60);
    expect(last, `loss went from ${first} to ${last}`).toBeLessThan(first * 0.2);
  });

  it("same seed gives bitwise-equal weights with ORT", async () => {
    const run = async () => {
      const encoder = new TwoTowerEncoder({ ...config, embeddingDim: 64, hiddenDims: [128], outputDim: 32 }, { seed: 4, matmul: ortMatmul });
      await trainEncoder({ encoder, batches: repeat(3), ...lookups(encoder), loss: squaredCosineLoss, totalSteps: 3, optimizer: { learningRate: 0.01 } });
      return encoder.parameters();
    };
    const first = await run();
    const second = await run();
    const initial = new TwoTowerEncoder({ ...config, embeddingDim: 64, hiddenDims: [128], outputDim: 32 }, { seed: 4 }).parameters();
    for (const [i, parameter] of first.entries()) {
      expect(Buffer.from(second[i]!.data.buffer).equals(Buffer.from(parameter.data.buffer)), `${parameter.name} differs between runs`).toBe(true);
    }
    expect(first[1]!.data, "training left linears.0.weight unchanged").not.toEqual(initial[1]!.data);
  });

  it("reports step info", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    const steps: number[] = [];
    const rates: number[] = [];
    let pairs = 0;
    let pairsPerSecond = 0;
    await trainEncoder({
      encoder,
      batches: repeat(4),
      ...lookups(encoder),
      loss: squaredCosineLoss,
      totalSteps: 4,
      optimizer: { learningRate: 0.1, warmupSteps: 2, decay: "linear" },
      onStep: (info) => {
        steps.push(info.step);
        rates.push(info.learningRate);
        pairs = info.pairs;
        pairsPerSecond = info.pairsPerSecond;
      },
    });
    expect(steps).toEqual([1, 2, 3, 4]);
    // Warmup 0.05, 0.1; then linear decay over 2 steps: 0.1, 0.05.
    expect(rates.map((rate) => Number(rate.toFixed(6)))).toEqual([0.05, 0.1, 0.1, 0.05]);
    expect(pairs).toBe(4);
    expect(pairsPerSecond).toBeGreaterThan(0);
  });

  it("stops at totalSteps without consuming more", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    let yielded = 0;
    function* counting() {
      for (let i = 0; i < 10; i++) {
        yielded++;
        yield batch;
      }
    }
    const summary = await trainEncoder({ encoder, batches: counting(), ...lookups(encoder), loss: squaredCosineLoss, totalSteps: 3, optimizer: { learningRate: 0.01 } });
    expect(summary.stopReason).toBe("completed");
    expect(yielded).toBe(3);
  });

  it("reports exhausted batches", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    const summary = await trainEncoder({ encoder, batches: repeat(2), ...lookups(encoder), loss: squaredCosineLoss, totalSteps: 5, optimizer: { learningRate: 0.01 } });
    expect(summary.steps).toBe(2);
    expect(summary.stopReason).toBe("batches_exhausted");
  });

  it("stops when aborted", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    const controller = new AbortController();
    const summary = await trainEncoder({
      encoder,
      batches: repeat(5),
      ...lookups(encoder),
      loss: squaredCosineLoss,
      totalSteps: 5,
      optimizer: { learningRate: 0.01 },
      signal: controller.signal,
      onStep: () => controller.abort(),
    });
    expect(summary.steps).toBe(1);
    expect(summary.stopReason).toBe("aborted");
  });

  it("aborted before start trains nothing", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    const before = Float32Array.from(encoder.linears[0]!.weight);
    const summary = await trainEncoder({
      encoder,
      batches: repeat(5),
      ...lookups(encoder),
      loss: squaredCosineLoss,
      totalSteps: 5,
      optimizer: { learningRate: 0.01 },
      signal: AbortSignal.abort(),
    });
    expect(summary.stopReason).toBe("aborted");
    expect(summary.steps).toBe(0);
    expect(encoder.linears[0]!.weight).toEqual(before);
  });

  it("logs start and stop", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    const messages: string[] = [];
    await trainEncoder({
      encoder,
      batches: repeat(1),
      ...lookups(encoder),
      loss: squaredCosineLoss,
      totalSteps: 1,
      optimizer: { learningRate: 0.01 },
      logger: { log: (level, message) => messages.push(`${level} ${message}`) },
    });
    expect(messages).toEqual(["info training started", "info training stopped"]);
  });

  it("rejects grades of wrong size", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    const bad = { ...batch, grades: new Int8Array(3) };
    await expect(
      trainEncoder({ encoder, batches: [bad], ...lookups(encoder), loss: squaredCosineLoss, totalSteps: 1, optimizer: { learningRate: 0.01 } }),
    ).rejects.toThrow(/batch 1 has 3 grades, expected \[4, 4\] = 16/);
  });

  it("rejects non-finite loss", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    const nanLoss = (input: BatchLossInput) => ({ ...squaredCosineLoss(input), loss: Number.NaN });
    await expect(
      trainEncoder({ encoder, batches: [batch], ...lookups(encoder), loss: nanLoss, totalSteps: 1, optimizer: { learningRate: 0.01 } }),
    ).rejects.toThrow(/Training loss is NaN at step 1/);
  });
});
