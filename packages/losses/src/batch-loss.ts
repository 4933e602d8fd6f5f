/**
 * Shared plumbing of the batch losses. Each loss is written as a `ScoreLoss` over the [Q, P] cosine
 * matrix. This file computes that matrix, checks the batch and back-propagates the score gradient
 * into both embedding matrices, once for float32 and once for float64 callers.
 */
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, MineRefineError } from "@mine-refine/core";
import { backpropagateScores, computeScores } from "./score-matrix.js";
import type { BatchLoss, BatchLoss64, BatchLossInput, BatchLossInput64, FloatMatrix } from "./types.js";
import { UNJUDGED } from "./types.js";

/**
 * Computes a loss from the cosine matrix `cosines` [Q, P] and the cell grades [Q, P], and adds
 * dLoss/dCosine into `gradCosines` [Q, P], which the caller has zeroed. Returns the loss value.
 */
export type ScoreLoss = (
  cosines: Float64Array,
  grades: Int8Array,
  numQueries: number,
  numProducts: number,
  gradCosines: Float64Array,
) => number;

/** A batch loss in both precisions, sharing one score loss. */
export interface BatchLossPair {
  float32: BatchLoss;
  float64: BatchLoss64;
}

/**
 * Wraps a score loss into batch losses. The [Q, P] work buffers are kept between calls and grow
 * to the largest batch seen, so a training loop allocates only the returned gradients.
 */
export function createBatchLossPair(lossName: string, scoreLoss: ScoreLoss): BatchLossPair {
  let cosines = new Float64Array(0); // [Q, P]
  let gradCosines = new Float64Array(0); // [Q, P]
  let rowBuffer = new Float64Array(0); // [D]

  function run(input: BatchLossInput | BatchLossInput64, gradQueries: FloatMatrix, gradProducts: FloatMatrix): number {
    validateBatch(lossName, input);
    const { numQueries, numProducts, dim } = input;
    const cells = numQueries * numProducts;
    if (cosines.length < cells) {
      cosines = new Float64Array(cells);
      gradCosines = new Float64Array(cells);
    }
    if (rowBuffer.length < dim) rowBuffer = new Float64Array(dim);

    const cosineView = cosines.subarray(0, cells);
    const gradView = gradCosines.subarray(0, cells);
    gradView.fill(0);
    computeScores(input.queries, input.products, numQueries, numProducts, dim, cosineView);
    const loss = scoreLoss(cosineView, input.grades, numQueries, numProducts, gradView);
    backpropagateScores(gradView, input.queries, input.products, numQueries, numProducts, dim, gradQueries, gradProducts, rowBuffer);
    return loss;
  }

  return {
    float32(input) {
      const gradQueries = new Float32Array(input.numQueries * input.dim);
      const gradProducts = new Float32Array(input.numProducts * input.dim);
      const loss = run(input, gradQueries, gradProducts);
      return { loss, gradQueries, gradProducts };
    },
    float64(input) {
      const gradQueries = new Float64Array(input.numQueries * input.dim);
      const gradProducts = new Float64Array(input.numProducts * input.dim);
      const loss = run(input, gradQueries, gradProducts);
      return { loss, gradQueries, gradProducts };
    },
  };
}

/**
 * Checks the sizes, the grade codes and that every embedding value is finite. Raises
 * a `MineRefineError` with code "invalid_batch" that names the field, the expected and the received value.
 */
export function validateBatch(lossName: string, input: BatchLossInput | BatchLossInput64): void {
  const { numQueries, numProducts, dim } = input;
  for (const [field, value] of [
    ["numQueries", numQueries],
    ["numProducts", numProducts],
    ["dim", dim],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw invalidBatch(lossName, `${field} must be a positive integer, received ${value}`);
    }
  }

  checkLength(lossName, "queries", input.queries.length, numQueries * dim, "numQueries × dim");
  checkLength(lossName, "products", input.products.length, numProducts * dim, "numProducts × dim");
  checkLength(lossName, "grades", input.grades.length, numQueries * numProducts, "numQueries × numProducts");
  checkFinite(lossName, "queries", input.queries, dim);
  checkFinite(lossName, "products", input.products, dim);

  const grades = input.grades;
  for (let cell = 0; cell < grades.length; cell++) {
    const grade = grades[cell]!;
    if (grade !== UNJUDGED && grade !== GRADE_IRRELEVANT && grade !== GRADE_MODERATE && grade !== GRADE_RELEVANT) {
      const row = Math.floor(cell / numProducts);
      throw invalidBatch(
        lossName,
        `grades[${row}, ${cell - row * numProducts}] is ${grade}, expected a grade (0, 1 or 2) or UNJUDGED (-1)`,
      );
    }
  }
}

function checkLength(lossName: string, field: string, actual: number, expected: number, formula: string): void {
  if (actual !== expected) {
    throw invalidBatch(lossName, `${field} has length ${actual}, expected ${formula} = ${expected}`);
  }
}

function checkFinite(lossName: string, field: string, values: FloatMatrix, dim: number): void {
  for (let index = 0; index < values.length; index++) {
    if (!Number.isFinite(values[index]!)) {
      const row = Math.floor(index / dim);
      throw invalidBatch(
        lossName,
        `${field}[${row}, ${index - row * dim}] is ${values[index]}; the encoder produced a non-finite embedding, often a sign that the learning rate is too high`,
      );
    }
  }
}

function invalidBatch(lossName: string, problem: string): MineRefineError {
  return new MineRefineError("invalid_batch", `${lossName}: invalid batch: ${problem}.`);
}
