import { Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { type EncoderConfig, TwoTowerEncoder } from "./encoder.js";
import { centralDifferences, dot, maxRelativeError, normalFloat64 } from "./test/gradient-check.js";

const tinyConfig: EncoderConfig = {
  featurizer: { buckets: 6, seed: 1 },
  embeddingDim: 3,
  hiddenDims: [4],
  outputDim: 3,
  pooling: "sqrt",
  activation: "gelu",
};

// Bags [1, 2, 2] and [5, 0].
const batch = { ids: Int32Array.of(1, 2, 2, 5, 0), offsets: Int32Array.of(0, 3, 5) };

interface Weights {
  table: Float64Array;
  w0: Float64Array;
  b0: Float64Array;
  w1: Float64Array;
  b1: Float64Array;
}

/** Float64 reference of the whole tower, written from the formulas rather than from the layers. */
function referenceTower(weights: Weights): Float64Array {
  const [E, H, O] = [3, 4, 3];
  const output = new Float64Array(2 * O);
  for (let b = 0; b < 2; b++) {
    const start = batch.offsets[b]!;
    const end = batch.offsets[b + 1]!;
    const pooled = new Float64Array(E);
    for (let p = start; p < end; p++) for (let j = 0; j < E; j++) pooled[j]! += weights.table[batch.ids[p]! * E + j]! / Math.sqrt(end - start);
    const hidden = new Float64Array(H);
    for (let h = 0; h < H; h++) {
      let z = weights.b0[h]!;
      for (let j = 0; j < E; j++) z += pooled[j]! * weights.w0[j * H + h]!;
      hidden[h] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
    }
    const out = new Float64Array(O);
    for (let o = 0; o < O; o++) {
      let z = weights.b1[o]!;
      for (let h = 0; h < H; h++) z += hidden[h]! * weights.w1[h * O + o]!;
      out[o] = z;
    }
    const norm = Math.hypot(...out);
    for (let o = 0; o < O; o++) output[b * O + o] = out[o]! / norm;
  }
  return output;
}

async function tinySetup() {
  const encoder = new TwoTowerEncoder(tinyConfig, { seed: 5 });
  const weights: Weights = {
    table: Float64Array.from(encoder.embedding.table),
    w0: Float64Array.from(encoder.linears[0]!.weight),
    b0: normalFloat64(new Rng(2), 4, 0.1),
    w1: Float64Array.from(encoder.linears[1]!.weight),
    b1: normalFloat64(new Rng(3), 3, 0.1),
  };
  encoder.linears[0]!.bias.set(weights.b0);
  encoder.linears[1]!.bias.set(weights.b1);
  const r = normalFloat64(new Rng(4), 6);
  const { output, cache } = await encoder.forward(batch);
  const grads = encoder.createGradients();
  await encoder.backward(cache, Float32Array.from(r), grads);
  return { encoder, weights, r, output, grads };
}

// Tolerance 1e-4 relative: float32 analytic gradients through five layers against float64 central
// differences (h = 1e-6) of an independent reference.
describe("TwoTowerEncoder", () => {
  it("forward matches float64 reference", async () => {
    const { weights, output } = await tinySetup();
    const error = maxRelativeError(output, referenceTower(weights));
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });

  for (const name of ["w0", "b0", "w1", "b1"] as const) {
    it(`${name} gradient matches finite differences`, async () => {
      const { weights, r, grads } = await tinySetup();
      const numeric = centralDifferences((v) => dot(referenceTower({ ...weights, [name]: v }), r), weights[name]);
      const analytic = { w0: grads.linears[0]!.weight, b0: grads.linears[0]!.bias, w1: grads.linears[1]!.weight, b1: grads.linears[1]!.bias }[name];
      const error = maxRelativeError(analytic, numeric);
      expect(error, `max relative difference ${error}`).toBeLessThan(1e-4);
    });
  }

  it("embedding gradient matches finite differences", async () => {
    const { weights, r, grads } = await tinySetup();
    const numeric = centralDifferences((v) => dot(referenceTower({ ...weights, table: v }), r), weights.table);
    const dense = new Float64Array(numeric.length);
    grads.embedding.rows.forEach((row, local) => {
      for (let j = 0; j < 3; j++) dense[row * 3 + j] = grads.embedding.gradient[local * 3 + j]!;
    });
    const error = maxRelativeError(dense, numeric);
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-4);
  });

  it("encode equals forward output", async () => {
    const { encoder, output } = await tinySetup();
    expect(await encoder.encode(batch)).toEqual(output);
  });

  it("outputs have unit length", async () => {
    const { output } = await tinySetup();
    for (let b = 0; b < 2; b++) expect(Math.hypot(...output.subarray(b * 3, b * 3 + 3))).toBeCloseTo(1, 6);
  });

  it("same seed same weights", () => {
    const a = new TwoTowerEncoder(tinyConfig, { seed: 7 });
    const b = new TwoTowerEncoder(tinyConfig, { seed: 7 });
    expect(a.embedding.table).toEqual(b.embedding.table);
    expect(a.linears[1]!.weight).toEqual(b.linears[1]!.weight);
  });

  it("different seed different weights", () => {
    const a = new TwoTowerEncoder(tinyConfig, { seed: 7 });
    const b = new TwoTowerEncoder(tinyConfig, { seed: 8 });
    expect(a.linears[0]!.weight).not.toEqual(b.linears[0]!.weight);
  });

  it("no hidden layers", async () => {
    const encoder = new TwoTowerEncoder({ ...tinyConfig, hiddenDims: [] });
    expect(encoder.linears.length).toBe(1);
    expect((await encoder.encode(batch)).length).toBe(2 * 3);
  });

  it("rejects invalid config", () => {
    expect(() => new TwoTowerEncoder({ ...tinyConfig, outputDim: 0, hiddenDims: [2.5] })).toThrow(
      /outputDim must be a positive integer, received 0; hiddenDims\[0\] must be a positive integer, received 2.5/,
    );
  });

  it("encodeTexts chunks agree with one batch", async () => {
    const encoder = new TwoTowerEncoder({ ...tinyConfig, featurizer: { buckets: 1000, seed: 1 } }, { seed: 1 });
    const texts = ["drill", "hammer drill", "", "paint roller", "roller"];
    const progress: number[] = [];
    const chunked = await encoder.encodeTexts(texts, { chunkSize: 2, onProgress: (event) => progress.push(event.done) });
    const whole = await encoder.encodeTexts(texts, { chunkSize: 100 });
    expect(maxRelativeError(chunked, whole)).toBeLessThan(1e-6);
    expect(progress).toEqual([2, 4, 5]);
  });

  it("encodeProducts matches encodeTexts for titles", async () => {
    const encoder = new TwoTowerEncoder({ ...tinyConfig, featurizer: { buckets: 1000, seed: 1 } }, { seed: 1 });
    const products = [{ id: "a", title: "cordless drill", fields: {} }];
    expect(await encoder.encodeProducts(products)).toEqual(await encoder.encodeTexts(["cordless drill"]));
  });

  it("untrained encoder ranks word overlap higher", async () => {
    // Random projections of hashed n-gram bags keep much of the lexical overlap, which is what
    // makes the untrained encoder a baseline.
    const encoder = new TwoTowerEncoder({ ...tinyConfig, featurizer: { buckets: 1 << 14, seed: 1 }, embeddingDim: 64, hiddenDims: [64], outputDim: 64 }, { seed: 3 });
    const [query, related, unrelated] = await Promise.all(
      ["cordless drill", "cordless drill kit", "garden hose"].map((text) => encoder.encodeTexts([text])),
    );
    expect(dot(query!, related!)).toBeGreaterThan(dot(query!, unrelated!));
  });
});
