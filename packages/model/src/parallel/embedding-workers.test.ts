import { Rng } from "@mine-refine/core";
import { createSupConLoss } from "@mine-refine/losses";
import { generateDemoCatalog } from "@mine-refine/data";
import { afterAll, describe, expect, it } from "vitest";
import { type EncoderConfig, TwoTowerEncoder } from "../encoder.js";
import { EmbeddingBag } from "../layers/embedding-bag.js";
import { SparseRowGradient } from "../layers/sparse-gradient.js";
import { LazyAdam } from "../optim/lazy-adam.js";
import { trainEncoder } from "../train.js";
import { EmbeddingWorkerPool } from "./embedding-workers.js";

// 40 columns: with three threads the ranges are [0, 16), [16, 32) and [32, 40), one of them short.
const BUCKETS = 500;
const DIM = 40;
const pools = [2, 3].map((threads) => new EmbeddingWorkerPool(threads));

afterAll(async () => {
  for (const pool of pools) await pool.dispose();
});

function randomBatch(rng: Rng, bags: number): { ids: Int32Array; offsets: Int32Array } {
  const offsets = new Int32Array(bags + 1);
  const ids: number[] = [];
  for (let b = 0; b < bags; b++) {
    const length = 1 + rng.int(30);
    for (let i = 0; i < length; i++) ids.push(rng.int(BUCKETS));
    offsets[b + 1] = ids.length;
  }
  return { ids: Int32Array.from(ids), offsets };
}

function randomArray(rng: Rng, length: number): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = rng.normal();
  return values;
}

/** Runs forward, backward and two Adam steps with `pool` (or one thread) and returns every result. */
function runBag(pool: EmbeddingWorkerPool | undefined): Float32Array[] {
  const rng = new Rng(5);
  const bag = new EmbeddingBag(BUCKETS, DIM, "sqrt");
  bag.initialize(rng.fork("table"), 0.1);
  bag.workers = pool;
  const adam = new LazyAdam(bag.table, DIM);
  adam.workers = pool;
  const grad = new SparseRowGradient(BUCKETS, DIM, 8);
  const outputs: Float32Array[] = [];
  for (let step = 0; step < 2; step++) {
    const batch = randomBatch(rng, 64);
    const output = bag.forward(batch); // [64, DIM]
    outputs.push(output);
    grad.clear();
    bag.backward(batch, randomArray(rng, output.length), grad);
    outputs.push(grad.gradient.slice());
    adam.step(grad, 0.01);
  }
  outputs.push(bag.table.slice());
  return outputs;
}

describe("EmbeddingWorkerPool", () => {
  const reference = runBag(undefined);

  for (const pool of pools) {
    it(`${pool.threads} threads match one bitwise`, () => {
      const results = runBag(pool);
      expect(results.length).toBe(reference.length);
      for (const [i, result] of results.entries()) expect(Buffer.from(result.buffer, result.byteOffset, result.byteLength).equals(Buffer.from(reference[i]!.buffer, reference[i]!.byteOffset, reference[i]!.byteLength))).toBe(true);
    });
  }

  it("rejects a table outside shared memory", () => {
    const bag = new EmbeddingBag(4, DIM, "mean", new Float32Array(4 * DIM));
    bag.workers = pools[0];
    expect(() => bag.forward({ ids: Int32Array.of(1), offsets: Int32Array.of(0, 1) })).toThrow(/embedding table must live in a SharedArrayBuffer/);
  });
});

describe("trainEncoder embeddingThreads", () => {
  it("same weights for 1 and 2 threads", async () => {
    const dataset = generateDemoCatalog({ seed: 4, products: 200, queriesPerLocale: 30 });
    const config: EncoderConfig = { featurizer: { buckets: 4096, seed: 1 }, embeddingDim: 48, hiddenDims: [16], outputDim: 16, pooling: "sqrt", activation: "gelu" };
    const byQuery = new Map<string, string[]>();
    for (const judgment of dataset.judgments) byQuery.set(judgment.queryId, [...(byQuery.get(judgment.queryId) ?? []), judgment.productId]);
    const queryIds = [...byQuery.keys()].slice(0, 16);
    const productIds = [...new Set(queryIds.flatMap((id) => byQuery.get(id)!.slice(0, 4)))];
    const grades = new Int8Array(queryIds.length * productIds.length).fill(-1);
    for (const judgment of dataset.judgments) {
      const q = queryIds.indexOf(judgment.queryId);
      const p = productIds.indexOf(judgment.productId);
      if (q >= 0 && p >= 0) grades[q * productIds.length + p] = judgment.grade;
    }
    const queries = new Map(dataset.queries.map((query) => [query.id, query.text]));
    const products = new Map(dataset.products.map((product) => [product.id, product]));

    const train = async (embeddingThreads: number): Promise<TwoTowerEncoder> => {
      const encoder = new TwoTowerEncoder(config, { seed: 2 });
      await trainEncoder({
        encoder,
        batches: Array.from({ length: 4 }, () => ({ queryIds, productIds, grades })),
        featuresForQuery: (id) => encoder.featurizer.featurizeQuery(queries.get(id)!),
        featuresForProduct: (id) => encoder.featurizer.featurizeProduct(products.get(id)!),
        loss: createSupConLoss(),
        totalSteps: 4,
        optimizer: { learningRate: 0.01 },
        embeddingThreads,
      });
      return encoder;
    };
    const one = await train(1);
    const two = await train(2);
    expect(two.embedding.workers).toBeUndefined();
    for (const [i, parameter] of one.parameters().entries()) {
      const other = two.parameters()[i]!;
      expect(Buffer.from(other.data.buffer, other.data.byteOffset, other.data.byteLength).equals(Buffer.from(parameter.data.buffer, parameter.data.byteOffset, parameter.data.byteLength)), parameter.name).toBe(true);
    }
  });
});
