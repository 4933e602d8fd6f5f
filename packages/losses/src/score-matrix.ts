/**
 * The [Q, P] cosine matrix of a batch and its backward pass, in plain loops.
 *
 * Shapes: Q = queries, P = products, D = embedding dimension; matrices are row-major.
 * Cost: the forward pass is Q·P·D multiply-adds and the backward pass 2·Q·P·D. At Q = 256,
 * P = 2,048, D = 512 that is about 0.27 G forward and 0.54 G backward, so the matrix products take
 * far longer than the O(Q·P) loss terms on top of them. Run `pnpm --filter @mine-refine/losses bench`
 * for the time on your machine. Sums run in float64 whatever the input precision.
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
  for (let i = 0; i < numQueries; i++) {
    const queryOffset = i * dim;
    const rowOffset = i * numProducts;
    for (let j = 0; j < numProducts; j++) {
      const productOffset = j * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) {
        dot += queries[queryOffset + d]! * products[productOffset + d]!;
      }
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
  for (let i = 0; i < numQueries; i++) {
    rowBuffer.fill(0, 0, dim);
    const rowOffset = i * numProducts;
    for (let j = 0; j < numProducts; j++) {
      const g = gradScores[rowOffset + j]!;
      if (g === 0) continue;
      const productOffset = j * dim;
      for (let d = 0; d < dim; d++) rowBuffer[d]! += g * products[productOffset + d]!;
    }
    const queryOffset = i * dim;
    for (let d = 0; d < dim; d++) gradQueries[queryOffset + d]! += rowBuffer[d]!;
  }

  for (let j = 0; j < numProducts; j++) {
    rowBuffer.fill(0, 0, dim);
    for (let i = 0; i < numQueries; i++) {
      const g = gradScores[i * numProducts + j]!;
      if (g === 0) continue;
      const queryOffset = i * dim;
      for (let d = 0; d < dim; d++) rowBuffer[d]! += g * queries[queryOffset + d]!;
    }
    const productOffset = j * dim;
    for (let d = 0; d < dim; d++) gradProducts[productOffset + d]! += rowBuffer[d]!;
  }
}
