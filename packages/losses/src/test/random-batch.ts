import { Rng } from "@mine-refine/core";
import type { BatchLossInput64 } from "../types.js";

/** Returns `rows` [rows, dim] of random unit vectors drawn from a seeded normal distribution. */
export function randomUnitRows(rng: Rng, rows: number, dim: number): Float64Array {
  const values = new Float64Array(rows * dim); // [rows, dim]
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = rng.normal();
      values[r * dim + d] = v;
      norm += v * v;
    }
    const inverseNorm = 1 / Math.sqrt(norm);
    for (let d = 0; d < dim; d++) values[r * dim + d]! *= inverseNorm;
  }
  return values;
}

/**
 * Builds a float64 batch with random unit embeddings and the given grade rows, one array per query
 * with one entry per product (UNJUDGED for a missing judgment).
 */
export function randomBatch(seed: number, dim: number, gradeRows: readonly (readonly number[])[]): BatchLossInput64 {
  const rng = new Rng(seed);
  const numQueries = gradeRows.length;
  const numProducts = gradeRows[0]?.length ?? 0;
  const grades = new Int8Array(numQueries * numProducts); // [Q, P]
  gradeRows.forEach((row, i) => {
    if (row.length !== numProducts) throw new RangeError(`randomBatch: grade row ${i} has ${row.length} entries, expected ${numProducts}`);
    grades.set(row, i * numProducts);
  });
  return {
    queries: randomUnitRows(rng, numQueries, dim),
    products: randomUnitRows(rng, numProducts, dim),
    numQueries,
    numProducts,
    dim,
    grades,
  };
}
