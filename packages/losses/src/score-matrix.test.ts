import { Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { backpropagateScores, computeScores } from "./score-matrix.js";

function randomValues(rng: Rng, length: number): Float64Array {
  return Float64Array.from({ length }, () => rng.normal());
}

// Sizes chosen so that the four-row blocks have no tail, a tail, or no full block at all.
const sizes: [number, number, number][] = [
  [1, 3, 2],
  [4, 8, 5],
  [5, 7, 3],
  [9, 13, 6],
];

describe("computeScores", () => {
  for (const [numQueries, numProducts, dim] of sizes) {
    it(`equals plain dot products, ${numQueries}×${numProducts}×${dim}`, () => {
      const rng = new Rng(numQueries * 100 + numProducts);
      const queries = randomValues(rng, numQueries * dim); // [Q, D]
      const products = randomValues(rng, numProducts * dim); // [P, D]
      const scores = new Float64Array(numQueries * numProducts); // [Q, P]
      computeScores(queries, products, numQueries, numProducts, dim, scores);
      let maxError = 0;
      for (let i = 0; i < numQueries; i++) {
        for (let j = 0; j < numProducts; j++) {
          let dot = 0;
          for (let d = 0; d < dim; d++) dot += queries[i * dim + d]! * products[j * dim + d]!;
          maxError = Math.max(maxError, Math.abs(dot - scores[i * numProducts + j]!));
        }
      }
      expect(maxError).toBeLessThan(1e-12);
    });
  }
});

describe("backpropagateScores", () => {
  for (const [numQueries, numProducts, dim] of sizes) {
    it(`equals plain products, ${numQueries}×${numProducts}×${dim}`, () => {
      const rng = new Rng(numQueries * 100 + numProducts + 1);
      const queries = randomValues(rng, numQueries * dim); // [Q, D]
      const products = randomValues(rng, numProducts * dim); // [P, D]
      const gradScores = randomValues(rng, numQueries * numProducts); // [Q, P]
      gradScores[0] = 0; // a zero coefficient is skipped, which must not change the result
      const gradQueries = new Float64Array(numQueries * dim).fill(1); // [Q, D], accumulated into
      const gradProducts = new Float64Array(numProducts * dim).fill(1); // [P, D]
      backpropagateScores(gradScores, queries, products, numQueries, numProducts, dim, gradQueries, gradProducts, new Float64Array(dim));

      let maxError = 0;
      for (let i = 0; i < numQueries; i++) {
        for (let d = 0; d < dim; d++) {
          let expected = 1;
          for (let j = 0; j < numProducts; j++) expected += gradScores[i * numProducts + j]! * products[j * dim + d]!;
          maxError = Math.max(maxError, Math.abs(expected - gradQueries[i * dim + d]!));
        }
      }
      for (let j = 0; j < numProducts; j++) {
        for (let d = 0; d < dim; d++) {
          let expected = 1;
          for (let i = 0; i < numQueries; i++) expected += gradScores[i * numProducts + j]! * queries[i * dim + d]!;
          maxError = Math.max(maxError, Math.abs(expected - gradProducts[j * dim + d]!));
        }
      }
      expect(maxError).toBeLessThan(1e-12);
    });
  }
});
