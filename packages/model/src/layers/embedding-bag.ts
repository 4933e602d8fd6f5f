/**
 * Shapes used below: buckets = table rows, dim = embedding width, batch = bags, nnz = ids in the
 * batch. Pooling scale s_b of bag b with n_b ids is 1 / n_b ("mean") or 1 / sqrt(n_b) ("sqrt").
 *
 *   forward:  out[b, :] = s_b * sum over ids i of bag b of table[i, :]
 *   backward: dTable[i, :] += s_b * dOut[b, :] for every occurrence of i in bag b
 */
import type { Rng } from "@mine-refine/core";
import type { FeatureBatch } from "../featurizer.js";
import type { SparseRowGradient } from "./sparse-gradient.js";

export type Pooling = "mean" | "sqrt";

export class EmbeddingBag {
  readonly buckets: number;
  readonly dim: number;
  readonly pooling: Pooling;
  readonly table: Float32Array; // [buckets, dim]

  constructor(buckets: number, dim: number, pooling: Pooling, table?: Float32Array) {
    if (table !== undefined && table.length !== buckets * dim) {
      throw new RangeError(`EmbeddingBag table has ${table.length} values, expected [${buckets}, ${dim}] = ${buckets * dim}`);
    }
    this.buckets = buckets;
    this.dim = dim;
    this.pooling = pooling;
    this.table = table ?? new Float32Array(buckets * dim);
  }

  /** Fills the table with normal(0, std) draws. */
  initialize(rng: Rng, std: number): void {
    for (let i = 0; i < this.table.length; i++) this.table[i] = rng.normal() * std;
  }

  /** Returns [batch, dim] pooled embeddings. */
  forward(batch: FeatureBatch): Float32Array {
    const { ids, offsets } = batch;
    const dim = this.dim;
    const table = this.table;
    const bags = offsets.length - 1;
    const output = new Float32Array(bags * dim); // [batch, dim]
    for (let b = 0; b < bags; b++) {
      const start = offsets[b]!;
      const end = offsets[b + 1]!;
      const outRow = b * dim;
      for (let p = start; p < end; p++) {
        const id = ids[p]!;
        if (id < 0 || id >= this.buckets) throw new RangeError(`EmbeddingBag: feature id ${id} at position ${p} is outside [0, ${this.buckets})`);
        const tableRow = id * dim;
        for (let j = 0; j < dim; j++) output[outRow + j]! += table[tableRow + j]!;
      }
      const scale = poolingScale(this.pooling, end - start);
      for (let j = 0; j < dim; j++) output[outRow + j]! *= scale;
    }
    return output;
  }

  /** Accumulates the table gradient for `gradOutput` [batch, dim] into `grad`. */
  backward(batch: FeatureBatch, gradOutput: Float32Array, grad: SparseRowGradient): void {
    const { ids, offsets } = batch;
    const dim = this.dim;
    const bags = offsets.length - 1;
    if (gradOutput.length !== bags * dim) throw new RangeError(`EmbeddingBag.backward: gradOutput has ${gradOutput.length} values, expected [${bags}, ${dim}]`);
    // Reserve every row first, so the values buffer cannot be replaced while we write into it.
    for (let p = 0; p < ids.length; p++) grad.offsetOf(ids[p]!);
    const values = grad.buffer;
    for (let b = 0; b < bags; b++) {
      const start = offsets[b]!;
      const end = offsets[b + 1]!;
      const scale = poolingScale(this.pooling, end - start);
      const gradRow = b * dim;
      for (let p = start; p < end; p++) {
        const target = grad.offsetOf(ids[p]!);
        for (let j = 0; j < dim; j++) values[target + j]! += scale * gradOutput[gradRow + j]!;
      }
    }
  }
}

function poolingScale(pooling: Pooling, count: number): number {
  if (count === 0) return 0;
  return pooling === "mean" ? 1 / count : 1 / Math.sqrt(count);
}
