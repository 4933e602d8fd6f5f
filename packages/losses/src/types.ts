/**
 * Shapes used below: Q = queries in the batch (anchors), P = products in the batch (candidates),
 * D = embedding dimension. Matrices are row-major flat Float32Arrays.
 */

/** Marks a (query, product) cell of a batch whose pair has no judgment. */
export const UNJUDGED = -1;

/** Inputs shared by the batch losses. Embeddings are L2-normalised, so a dot product is a cosine. */
export interface BatchLossInput {
  /** [Q, D] query embeddings. */
  queries: Float32Array;
  /** [P, D] product embeddings. */
  products: Float32Array;
  numQueries: number;
  numProducts: number;
  dim: number;
  /**
   * [Q, P] grade of each (query, product) cell: 0, 1 or 2 where a judgment exists for that pair
   * (even when the product was sampled for another query), `UNJUDGED` otherwise.
   */
  grades: Int8Array;
}

/** Loss value and gradients with respect to both embedding matrices. */
export interface BatchLossResult {
  loss: number;
  /** [Q, D] dLoss/dQueries. */
  gradQueries: Float32Array;
  /** [P, D] dLoss/dProducts. */
  gradProducts: Float32Array;
}

export type BatchLoss = (input: BatchLossInput) => BatchLossResult;

/** One training batch: each product appears once; `grades` is filled from every known judgment. */
export interface TrainingBatch {
  queryIds: string[];
  productIds: string[];
  /** [Q, P] as in `BatchLossInput.grades`. */
  grades: Int8Array;
}

/** A flat row-major matrix in either precision. The losses accept both and compute in float64. */
export type FloatMatrix = Float32Array | Float64Array;

/** `BatchLossInput` with float64 embeddings, for gradient checks and float64 callers. */
export interface BatchLossInput64 extends Omit<BatchLossInput, "queries" | "products"> {
  /** [Q, D] query embeddings. */
  queries: Float64Array;
  /** [P, D] product embeddings. */
  products: Float64Array;
}

/** `BatchLossResult` with float64 gradients. */
export interface BatchLossResult64 {
  loss: number;
  /** [Q, D] dLoss/dQueries. */
  gradQueries: Float64Array;
  /** [P, D] dLoss/dProducts. */
  gradProducts: Float64Array;
}

export type BatchLoss64 = (input: BatchLossInput64) => BatchLossResult64;
