import { Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { exactTopK } from "./exact-top-k.js";

// dim 2. Scores of query [1, 0] are the first coordinates: 0.1, 0.9, 0.5, 0.9, -0.3.
// Scores of query [0, 1] are the second coordinates: 1, 0, 0, 0, 0.2.
const products = new Float32Array([0.1, 1, 0.9, 0, 0.5, 0, 0.9, 0, -0.3, 0.2]); // [5, 2]
const queries = new Float32Array([1, 0, 0, 1]); // [2, 2]

describe("exactTopK", () => {
  it("ranks products by dot product", () => {
    const result = exactTopK(queries, products, 2, 3);
    expect(Array.from(result.indices.subarray(0, 3))).toEqual([1, 3, 2]);
  });

  it("returns float32 scores", () => {
    const result = exactTopK(queries, products, 2, 3);
    expect(Array.from(result.scores.subarray(0, 3))).toEqual([Math.fround(0.9), Math.fround(0.9), Math.fround(0.5)]);
  });

  it("breaks ties by lower index", () => {
    // Products 1, 2, 3 and 4 all score 0 for query [0, 1].
    const result = exactTopK(queries, products, 2, 3);
    expect(Array.from(result.indices.subarray(3, 6))).toEqual([0, 4, 1]);
  });

  it("keeps the lower index when a tie is cut", () => {
    const tied = new Float32Array([1, 1, 1, 1]); // [4, 1]
    const result = exactTopK(new Float32Array([1]), tied, 1, 2);
    expect(Array.from(result.indices)).toEqual([0, 1]);
  });

  it("clamps k to the product count", () => {
    const result = exactTopK(queries, products, 2, 10);
    expect(result.k).toBe(5);
    expect(result.indices.length).toBe(10);
    expect(Array.from(result.indices.subarray(0, 5))).toEqual([1, 3, 2, 0, 4]);
  });

  it("returns empty rows for k 0", () => {
    const result = exactTopK(queries, products, 2, 0);
    expect(result.k).toBe(0);
    expect(result.indices.length).toBe(0);
  });

  it("pads rows when scores are NaN", () => {
    const withNaN = new Float32Array([Number.NaN, 2]); // [2, 1]
    const result = exactTopK(new Float32Array([1]), withNaN, 1, 2);
    expect(Array.from(result.indices)).toEqual([1, -1]);
  });

  it("reports progress per block", () => {
    const done: number[] = [];
    exactTopK(queries, products, 2, 1, { blockSize: 2, progress: (event) => done.push(event.done) });
    expect(done).toEqual([2, 4, 5]);
  });

  it("rejects a length that is not a multiple of dim", () => {
    expect(() => exactTopK(new Float32Array(3), products, 2, 1)).toThrow(/not a multiple of dim 2/);
  });

  it("matches a full sort on random vectors", () => {
    // 7 queries and 61 products exercise short query tiles, an odd product count and several blocks.
    const rng = new Rng(7);
    const dim = 5;
    const queryCount = 7;
    const productCount = 61;
    const k = 9;
    const randomQueries = Float32Array.from({ length: queryCount * dim }, () => rng.normal());
    const randomProducts = Float32Array.from({ length: productCount * dim }, () => rng.normal());
    const result = exactTopK(randomQueries, randomProducts, dim, k, { blockSize: 8 });

    for (let query = 0; query < queryCount; query++) {
      const scored = Array.from({ length: productCount }, (_, product) => {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += randomQueries[query * dim + d]! * randomProducts[product * dim + d]!;
        return { product, dot };
      });
      scored.sort((a, b) => b.dot - a.dot || a.product - b.product);
      const expected = scored.slice(0, k).map((entry) => entry.product);
      expect(Array.from(result.indices.subarray(query * k, (query + 1) * k))).toEqual(expected);
    }
  });
});
