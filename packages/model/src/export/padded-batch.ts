/**
 * Shapes used below: batch = bags, nnz = feature ids of all bags, length = the longest bag.
 */
import type { FeatureBatch } from "../featurizer.js";

/** A FeatureBatch padded to a rectangle, in the layout of the exported model's inputs. */
export interface PaddedFeatureBatch {
  inputIds: BigInt64Array; // [batch, length] feature ids, 0 after the end of each bag
  attentionMask: BigInt64Array; // [batch, length] 1 for a feature id, 0 for padding
  batch: number;
  length: number;
}

/** Pads the bags of `batch` to the longest one. A batch of empty bags gets length 1, all padding. */
export function padFeatureBatch(batch: FeatureBatch): PaddedFeatureBatch {
  const { ids, offsets } = batch;
  const bagCount = offsets.length - 1;
  let length = 1;
  for (let b = 0; b < bagCount; b++) length = Math.max(length, offsets[b + 1]! - offsets[b]!);
  const inputIds = new BigInt64Array(bagCount * length);
  const attentionMask = new BigInt64Array(bagCount * length);
  for (let b = 0; b < bagCount; b++) {
    const row = b * length;
    const start = offsets[b]!;
    const end = offsets[b + 1]!;
    for (let p = start; p < end; p++) {
      inputIds[row + p - start] = BigInt(ids[p]!);
      attentionMask[row + p - start] = 1n;
    }
  }
  return { inputIds, attentionMask, batch: bagCount, length };
}
