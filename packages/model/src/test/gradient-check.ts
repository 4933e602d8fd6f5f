/**
 * Central finite differences in float64, the independent computation every backward pass is
 * checked against.
 */
import type { Rng } from "@mine-refine/core";

/** Returns df/dx_i ≈ (f(x + h e_i) - f(x - h e_i)) / 2h for every i. Restores `x` afterwards. */
export function centralDifferences(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const gradient = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const saved = x[i]!;
    x[i] = saved + h;
    const plus = f(x);
    x[i] = saved - h;
    const minus = f(x);
    x[i] = saved;
    gradient[i] = (plus - minus) / (2 * h);
  }
  return gradient;
}

/** Returns max over i of |actual_i - expected_i| / max(1, |expected_i|). */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < expected.length; i++) {
    max = Math.max(max, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  }
  return max;
}

export function normalFloat64(rng: Rng, length: number, std = 1): Float64Array {
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) values[i] = rng.normal() * std;
  return values;
}

/** Returns sum_i y_i r_i, the scalar whose gradient with respect to y is r. */
export function dot(y: ArrayLike<number>, r: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += y[i]! * r[i]!;
  return sum;
}

