/**
 * Batch plans that cap the share of synthetic queries. Templates or a language model write those
 * queries and a judge grades them, so their labels can be noisier than human ones. The cap keeps
 * them from filling batches when the catalog has many products with few real queries.
 */

/** Query counts of one batch in a capped epoch. */
export interface CappedBatchCounts {
  real: number;
  synthetic: number;
}

/** Slack that keeps exact shares such as 2 of 8 at 0.25 from rounding down. */
const SHARE_EPSILON = 1e-9;

/** Returns the largest synthetic count s with s / (realCount + s) ≤ maxShare, or Infinity when maxShare is 1. */
function maxSyntheticForReal(realCount: number, maxShare: number): number {
  if (maxShare >= 1) return Number.POSITIVE_INFINITY;
  return Math.floor((maxShare * realCount) / (1 - maxShare) + SHARE_EPSILON);
}

/** Batch sizes of an epoch of `total` queries: full batches, then one batch with the rest. */
function batchSizes(total: number, queriesPerBatch: number): number[] {
  const sizes: number[] = [];
  for (let start = 0; start < total; start += queriesPerBatch) sizes.push(Math.min(queriesPerBatch, total - start));
  return sizes;
}

/**
 * Plans the batches of one epoch so that every real query appears once and each batch of n queries
 * contains at most floor(maxShare × n) synthetic ones. When the synthetic queries do not all fit under
 * the cap, the epoch uses as many as fit, and the caller chooses which. Synthetic queries are spread
 * round-robin over the batches, so they are not bunched at the start or the end of the epoch.
 */
export function planCappedBatches(
  realCount: number,
  syntheticCount: number,
  queriesPerBatch: number,
  maxShare: number,
): CappedBatchCounts[] {
  let used = Math.min(syntheticCount, maxSyntheticForReal(realCount, maxShare));

  // Each pass can only lower `used`, and 0 synthetic queries always fit, so the loop ends.
  for (;;) {
    const sizes = batchSizes(realCount + used, queriesPerBatch);
    const caps = sizes.map((size) => Math.floor(maxShare * size + SHARE_EPSILON));
    const capacity = caps.reduce((sum, cap) => sum + cap, 0);
    if (capacity < used) {
      used = capacity;
      continue;
    }

    const synthetic = new Array<number>(sizes.length).fill(0);
    let remaining = used;
    while (remaining > 0) {
      for (let b = 0; b < sizes.length && remaining > 0; b++) {
        if (synthetic[b]! < caps[b]!) {
          synthetic[b]! += 1;
          remaining--;
        }
      }
    }
    return sizes.map((size, b) => ({ real: size - synthetic[b]!, synthetic: synthetic[b]! }));
  }
}
