/**
 * The [Q, P] cosine matrix of a batch and its backward pass, in plain loops.
 *
 * Shapes: Q = queries, P = products, D = embedding dimension. Matrices are row-major.
 * Cost: the forward pass is Q·P·D multiply-adds and the backward pass 2·Q·P·D. At Q = 256,
 * P = 2,048, D = 512 that is about 0.27 G forward and 0.54 G backward, so the matrix products take
 * far longer than the O(Q·P) loss terms on top of them. Run `pnpm --filter @mine-refine/losses bench`
 * for the time on your machine, and BENCHMARKS.md records one run. Sums run in float64 whatever the
 * input precision.
 */
import type { FloatMatrix } from "./types.js";

/** Fills `scores` [Q, P] with the dot product of every query row and every product row. */
export function computeScores(
  queries: FloatMatrix, // [Q, D]
  products: FloatMatrix, // [P, D]
  numQueries: number,
  numProducts: number,
  dim: number,
  scores: Float64Array, // [Q, P]
): void {
  // Four products per pass share each load of the query value. Together with the blocking in the
  // backward pass this made a whole loss call about 2.5 times faster than one-row loops (see
  // BENCHMARKS.md).
  const blockEnd = numProducts - (numProducts % 4);
  for (let i = 0; i < numQueries; i++) {
    const queryOffset = i * dim;
    const rowOffset = i * numProducts;
    for (let j = 0; j < blockEnd; j += 4) {
      const o0 = j * dim;
      const o1 = o0 + dim;
      const o2 = o1 + dim;
      const o3 = o2 + dim;
      let dot0 = 0;
      let dot1 = 0;
      let dot2 = 0;
      let dot3 = 0;
      for (let d = 0; d < dim; d++) {
        const q = queries[queryOffset + d]!;
        dot0 += q * products[o0 + d]!;
        dot1 += q * products[o1 + d]!;
        dot2 += q * products[o2 + d]!;
        dot3 += q * products[o3 + d]!;
      }
      scores[rowOffset + j] = dot0;
      scores[rowOffset + j + 1] = dot1;
      scores[rowOffset + j + 2] = dot2;
      scores[rowOffset + j + 3] = dot3;
    }
    for (let j = blockEnd; j < numProducts; j++) {
      const productOffset = j * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += queries[queryOffset + d]! * products[productOffset + d]!;
      scores[rowOffset + j] = dot;
    }
  }
}

/**
 * Adds the gradients of the embeddings given dLoss/dScores: gradQueries += G · products and
 * gradProducts += Gᵀ · queries. Each output row is summed in `rowBuffer` [D] (float64) and written
 * once, so float32 outputs lose no precision to repeated rounding.
 */
export function backpropagateScores(
  gradScores: Float64Array, // [Q, P]
  queries: FloatMatrix, // [Q, D]
  products: FloatMatrix, // [P, D]
  numQueries: number,
  numProducts: number,
  dim: number,
  gradQueries: FloatMatrix, // [Q, D]
  gradProducts: FloatMatrix, // [P, D]
  rowBuffer: Float64Array, // [D]
): void {
  // Each pass adds four rows at once, so the accumulator row is loaded and stored a quarter as often.
  const productBlockEnd = numProducts - (numProducts % 4);
  for (let i = 0; i < numQueries; i++) {
    rowBuffer.fill(0, 0, dim);
    const rowOffset = i * numProducts;
    for (let j = 0; j < productBlockEnd; j += 4) {
      const g0 = gradScores[rowOffset + j]!;
      const g1 = gradScores[rowOffset + j + 1]!;
      const g2 = gradScores[rowOffset + j + 2]!;
      const g3 = gradScores[rowOffset + j + 3]!;
      if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) continue;
      const o0 = j * dim;
      const o1 = o0 + dim;
      const o2 = o1 + dim;
      const o3 = o2 + dim;
      for (let d = 0; d < dim; d++) {
        rowBuffer[d]! += g0 * products[o0 + d]! + g1 * products[o1 + d]! + g2 * products[o2 + d]! + g3 * products[o3 + d]!;
      }
    }
    for (let j = productBlockEnd; j < numProducts; j++) {
      const g = gradScores[rowOffset + j]!;
      if (g === 0) continue;
      const productOffset = j * dim;
      for (let d = 0; d < dim; d++) rowBuffer[d]! += g * products[productOffset + d]!;
    }
    const queryOffset = i * dim;
    for (let d = 0; d < dim; d++) gradQueries[queryOffset + d]! += rowBuffer[d]!;
  }

  const queryBlockEnd = numQueries - (numQueries % 4);
  for (let j = 0; j < numProducts; j++) {
    rowBuffer.fill(0, 0, dim);
    for (let i = 0; i < queryBlockEnd; i += 4) {
      const g0 = gradScores[i * numProducts + j]!;
      const g1 = gradScores[(i + 1) * numProducts + j]!;
      const g2 = gradScores[(i + 2) * numProducts + j]!;
      const g3 = gradScores[(i + 3) * numProducts + j]!;
      if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) continue;
      const o0 = i * dim;
      const o1 = o0 + dim;
      const o2 = o1 + dim;
      const o3 = o2 + dim;
      for (let d = 0; d < dim; d++) {
        rowBuffer[d]! += g0 * queries[o0 + d]! + g1 * queries[o1 + d]! + g2 * queries[o2 + d]! + g3 * queries[o3 + d]!;
      }
    }
    for (let i = queryBlockEnd; i < numQueries; i++) {
      const g = gradScores[i * numProducts + j]!;
      if (g === 0) continue;
      const queryOffset = i * dim;
      for (let d = 0; d < dim; d++) rowBuffer[d]! += g * queries[queryOffset + d]!;
    }
    const productOffset = j * dim;
    for (let d = 0; d < dim; d++) gradProducts[productOffset + d]! += rowBuffer[d]!;
  }
}
