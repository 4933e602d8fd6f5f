/**
 * Returns the p-quantile of ascending values by linear interpolation between the two nearest ranks
 * (position p · (n − 1), the default of R and NumPy). Raises a RangeError for an empty array or p
 * outside [0, 1].
 */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError("quantileOfSorted needs at least one value");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`Quantile must be between 0 and 1, received ${p}`);
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  const low = sorted[below]!;
  const high = sorted[above]!;
  return fraction === 0 ? low : low + (high - low) * fraction;
}

/** Returns a sorted float64 copy, raising a RangeError that names `inputName` when a value is NaN. */
export function sortedCopy(values: ArrayLike<number>, inputName: string): Float64Array {
  const copy = Float64Array.from(values);
  for (let i = 0; i < copy.length; i++) {
    if (Number.isNaN(copy[i]!)) throw new RangeError(`${inputName} contains NaN at position ${i}`);
  }
  return copy.sort();
}
