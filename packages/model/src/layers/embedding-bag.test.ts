import { Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { centralDifferences, dot, maxRelativeError, normalFloat64 } from "../test/gradient-check.js";
import { EmbeddingBag, type Pooling } from "./embedding-bag.js";
import { SparseRowGradient } from "./sparse-gradient.js";

// Bags [1, 3, 1] and [2]: row 1 appears twice in the first bag.
const batch = { ids: Int32Array.of(1, 3, 1, 2), offsets: Int32Array.of(0, 3, 4) };

/** Float64 reference forward, independent of the layer. */
function referenceForward(table: Float64Array, dim: number, pooling: Pooling): Float64Array {
  const bags = batch.offsets.length - 1;
  const output = new Float64Array(bags * dim);
  for (let b = 0; b < bags; b++) {
    const start = batch.offsets[b]!;
    const end = batch.offsets[b + 1]!;
    const scale = pooling === "mean" ? 1 / (end - start) : 1 / Math.sqrt(end - start);
    for (let p = start; p < end; p++) {
      for (let j = 0; j < dim; j++) output[b * dim + j]! += scale * table[batch.ids[p]! * dim + j]!;
    }
  }
  return output;
}

describe("EmbeddingBag", () => {
  it("mean pooling by hand", () => {
    // Row i contains [i, 10 i]. Bag 0 mean of rows 1, 3, 1 = [5/3, 50/3]; bag 1 = row 2.
    const table = Float32Array.of(0, 0, 1, 10, 2, 20, 3, 30);
    const output = new EmbeddingBag(4, 2, "mean", table).forward(batch);
    expect(output[0]).toBeCloseTo(5 / 3, 6);
    expect(output[1]).toBeCloseTo(50 / 3, 5);
    expect([...output.subarray(2)]).toEqual([2, 20]);
  });

  it("sqrt pooling by hand", () => {
    const table = Float32Array.of(0, 0, 1, 10, 2, 20, 3, 30);
    const output = new EmbeddingBag(4, 2, "sqrt", table).forward(batch);
    expect(output[0]).toBeCloseTo(5 / Math.sqrt(3), 6);
  });

  it("rejects id outside table", () => {
    const layer = new EmbeddingBag(2, 2, "mean");
    expect(() => layer.forward({ ids: Int32Array.of(5), offsets: Int32Array.of(0, 1) })).toThrow(/feature id 5 at position 0 is outside \[0, 2\)/);
  });

  for (const pooling of ["mean", "sqrt"] as const) {
    it(`backward matches finite differences (${pooling})`, () => {
      const rng = new Rng(3);
      const [buckets, dim] = [4, 3];
      const table64 = normalFloat64(rng, buckets * dim);
      const r = normalFloat64(rng, 2 * dim);
      const layer = new EmbeddingBag(buckets, dim, pooling, Float32Array.from(table64));
      const grad = new SparseRowGradient(buckets, dim, 1);
      layer.backward(batch, Float32Array.from(r), grad);

      const dense = new Float64Array(buckets * dim);
      grad.rows.forEach((row, local) => {
        for (let j = 0; j < dim; j++) dense[row * dim + j] = grad.gradient[local * dim + j]!;
      });
      const numeric = centralDifferences((t) => dot(referenceForward(t, dim, pooling), r), table64);
      const error = maxRelativeError(dense, numeric);
      // Tolerance 1e-5: the analytic side is float32, the numeric side float64 with h = 1e-6.
      expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
      expect([...grad.rows].sort()).toEqual([1, 2, 3]);
    });
  }

  it("index groups occurrences by row", () => {
    const index = new EmbeddingBag(4, 1, "mean").indexBatch(batch);
    expect([...index.rows]).toEqual([1, 2, 3]);
    expect([...index.starts]).toEqual([0, 2, 3, 4]);
    // Row 1 occurs twice in bag 0, row 2 once in bag 1, row 3 once in bag 0.
    expect([...index.bags]).toEqual([0, 0, 1, 0]);
    expect([...index.scales]).toEqual([Math.fround(1 / 3), Math.fround(1 / 3), 1, Math.fround(1 / 3)]);
  });

  it("index after rejected id starts clean", () => {
    const layer = new EmbeddingBag(4, 1, "mean");
    expect(() => layer.indexBatch({ ids: Int32Array.of(1, 9), offsets: Int32Array.of(0, 2) })).toThrow(/feature id 9/);
    const index = layer.indexBatch({ ids: Int32Array.of(1), offsets: Int32Array.of(0, 1) });
    expect([...index.starts]).toEqual([0, 1]);
  });

  it("initialize draws normal values", () => {
    const layer = new EmbeddingBag(1000, 20, "mean");
    layer.initialize(new Rng(1), 0.1);
    const mean = layer.table.reduce((sum, value) => sum + value, 0) / layer.table.length;
    const variance = layer.table.reduce((sum, value) => sum + (value - mean) ** 2, 0) / layer.table.length;
    // 20,000 draws: the mean is within 0.002 and the variance within 3% of 0.01 with high probability.
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(variance).toBeGreaterThan(0.0097);
    expect(variance).toBeLessThan(0.0103);
  });

  it("backward accumulates across passes", () => {
    const layer = new EmbeddingBag(4, 1, "mean");
    const grad = new SparseRowGradient(4, 1);
    const single = { ids: Int32Array.of(2), offsets: Int32Array.of(0, 1) };
    layer.backward(single, Float32Array.of(1.5), grad);
    layer.backward(single, Float32Array.of(2), grad);
    expect([...grad.rows]).toEqual([2]);
    expect([...grad.gradient]).toEqual([3.5]);
  });

  it("clear forgets touched rows", () => {
    const layer = new EmbeddingBag(4, 1, "mean");
    const grad = new SparseRowGradient(4, 1);
    layer.backward({ ids: Int32Array.of(2), offsets: Int32Array.of(0, 1) }, Float32Array.of(1), grad);
    grad.clear();
    layer.backward({ ids: Int32Array.of(3), offsets: Int32Array.of(0, 1) }, Float32Array.of(4), grad);
    expect([...grad.rows]).toEqual([3]);
    expect([...grad.gradient]).toEqual([4]);
  });
});
