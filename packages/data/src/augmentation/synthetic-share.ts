import { type ConfigIssue, ConfigError, type Rng } from "@mine-refine/core";

function validateShare(maxShare: number): void {
  if (!(maxShare >= 0 && maxShare <= 1)) {
    const issues: ConfigIssue[] = [{ path: "maxShare", message: `expected a share in [0, 1], received ${maxShare}` }];
    throw new ConfigError("synthetic share cap", issues);
  }
}

/**
 * Returns the largest synthetic count s for which s / (realCount + s) stays at or below `maxShare`.
 * A batch with no real items admits no synthetic ones unless `maxShare` is 1, which admits any number.
 */
export function maxSyntheticCount(realCount: number, maxShare: number): number {
  validateShare(maxShare);
  if (maxShare === 1) return Number.POSITIVE_INFINITY;
  // The small tolerance keeps exact shares such as 2 of 8 at 0.25 from rounding down to 1.
  return Math.floor((maxShare * realCount) / (1 - maxShare) + 1e-9);
}

/**
 * Drops synthetic items from a batch until they make up at most `maxShare` of it. Real items all stay,
 * and the order of the kept items is the batch order. Without an `rng` the first synthetic items are
 * kept; with one, a random subset is. The batch can come back smaller, so a sampler that needs a fixed
 * size fills the gap with real items.
 */
export function capSyntheticShare<T>(
  batch: readonly T[],
  maxShare: number,
  isSynthetic: (item: T) => boolean,
  rng?: Rng,
): T[] {
  const syntheticIndices: number[] = [];
  batch.forEach((item, index) => {
    if (isSynthetic(item)) syntheticIndices.push(index);
  });
  const allowed = maxSyntheticCount(batch.length - syntheticIndices.length, maxShare);
  if (syntheticIndices.length <= allowed) return [...batch];

  const chosen = rng === undefined ? syntheticIndices : rng.shuffle([...syntheticIndices]);
  const keptIndices = new Set(chosen.slice(0, allowed));
  return batch.filter((item, index) => !isSynthetic(item) || keptIndices.has(index));
}
