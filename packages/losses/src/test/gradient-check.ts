/**
 * Gradient checks against central finite differences, in float64. Other packages use them through
 * the `@mine-refine/losses/test` subpath to check their own backward passes the same way.
 */
import type { BatchLoss64, BatchLossInput64 } from "../types.js";

export interface GradientCheckOptions {
  /** Finite-difference step h. Default 1e-6, which suits float64 functions of order-one inputs. */
  step?: number;
  /** Indices of `point` to check. Defaults to all of them. */
  indices?: readonly number[];
}

export interface GradientCheckResult {
  /** Largest |analytic − numeric| over the checked indices. */
  maxAbsoluteError: number;
  /** Largest |analytic − numeric| / max(|analytic|, |numeric|, 1e-8) over the checked indices. */
  maxRelativeError: number;
  /** Index of `point` with the largest absolute error, or -1 when nothing was checked. */
  worstIndex: number;
  /** Largest |numeric| seen, to judge whether the errors are small relative to the gradient. */
  maxNumericMagnitude: number;
  checkedCount: number;
}

/**
 * Compares `analytic` with the central difference (f(x + h·e_k) − f(x − h·e_k)) / 2h of `lossAt`
 * at every checked index k. `point` is perturbed in place and restored after each index.
 * The error of the estimate is O(h²·f''') plus O(ε·|f| / h) from rounding.
 */
export function checkGradient(
  lossAt: (point: Float64Array) => number,
  point: Float64Array,
  analytic: ArrayLike<number>,
  options: GradientCheckOptions = {},
): GradientCheckResult {
  if (analytic.length !== point.length) {
    throw new RangeError(`checkGradient: analytic gradient has length ${analytic.length}, expected the point's length ${point.length}`);
  }
  const step = options.step ?? 1e-6;
  const indices = options.indices ?? Array.from({ length: point.length }, (_, k) => k);

  const result: GradientCheckResult = {
    maxAbsoluteError: 0,
    maxRelativeError: 0,
    worstIndex: -1,
    maxNumericMagnitude: 0,
    checkedCount: 0,
  };
  for (const k of indices) {
    const original = point[k]!;
    point[k] = original + step;
    const lossPlus = lossAt(point);
    point[k] = original - step;
    const lossMinus = lossAt(point);
    point[k] = original;

    const numeric = (lossPlus - lossMinus) / (2 * step);
    const exact = analytic[k]!;
    const absoluteError = Math.abs(exact - numeric);
    const relativeError = absoluteError / Math.max(Math.abs(exact), Math.abs(numeric), 1e-8);
    if (absoluteError > result.maxAbsoluteError || result.worstIndex === -1) {
      result.maxAbsoluteError = absoluteError;
      result.worstIndex = k;
    }
    result.maxRelativeError = Math.max(result.maxRelativeError, relativeError);
    result.maxNumericMagnitude = Math.max(result.maxNumericMagnitude, Math.abs(numeric));
    result.checkedCount++;
  }
  return result;
}

export interface BatchLossGradientCheck {
  queries: GradientCheckResult;
  products: GradientCheckResult;
}

/**
 * Checks both gradients of a float64 batch loss at `input`. `lossAt` defaults to the loss itself.
 * Pass another function to compare with a reference that differs on purpose, such as a circle loss
 * whose α weights are frozen at `input`.
 */
export function checkBatchLossGradient(
  loss: BatchLoss64,
  input: BatchLossInput64,
  options: GradientCheckOptions & { lossAt?: (input: BatchLossInput64) => number } = {},
): BatchLossGradientCheck {
  const { lossAt = (perturbed: BatchLossInput64) => loss(perturbed).loss, ...checkOptions } = options;
  const { gradQueries, gradProducts } = loss(input);
  const queries = new Float64Array(input.queries);
  const products = new Float64Array(input.products);
  return {
    queries: checkGradient((point) => lossAt({ ...input, queries: point, products }), queries, gradQueries, checkOptions),
    products: checkGradient((point) => lossAt({ ...input, queries, products: point }), products, gradProducts, checkOptions),
  };
}
