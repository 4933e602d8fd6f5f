import type { SparseRowGradient } from "../layers/sparse-gradient.js";

export interface ClipResult {
  /** Global L2 norm of all gradients before clipping. */
  norm: number;
  /** Factor every gradient was multiplied by: min(1, maxNorm / norm). */
  scale: number;
}

/**
 * Scales dense and sparse gradients in place so that their joint L2 norm is at most `maxNorm`.
 * The norm is taken over every value together, as if all gradients were one vector.
 */
export function clipGradientNorm(dense: readonly Float32Array[], sparse: readonly SparseRowGradient[], maxNorm: number): ClipResult {
  let sumOfSquares = 0;
  for (const gradient of dense) sumOfSquares += squaredNorm(gradient);
  for (const gradient of sparse) sumOfSquares += squaredNorm(gradient.gradient);
  const norm = Math.sqrt(sumOfSquares);
  if (!(norm > maxNorm)) return { norm, scale: 1 };
  const scale = maxNorm / norm;
  for (const gradient of dense) scaleInPlace(gradient, scale);
  for (const gradient of sparse) scaleInPlace(gradient.gradient, scale);
  return { norm, scale };
}

function squaredNorm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return sum;
}

function scaleInPlace(values: Float32Array, factor: number): void {
  for (let i = 0; i < values.length; i++) values[i]! *= factor;
}
