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

/**
 * The occurrences of a FeatureBatch grouped by table row, rows ascending. Forward and backward walk
 * the table in address order through it, and each touched gradient row is written in one pass.
 */
export interface BagRowIndex {
  rows: Int32Array; // [uniqueRows] distinct table rows, ascending
  starts: Int32Array; // [uniqueRows + 1] row u owns occurrences starts[u] .. starts[u + 1]
  bags: Int32Array; // [nnz] bag of each occurrence, grouped by row, bags ascending within a row
  scales: Float32Array; // [nnz] pooling scale of that bag
  bagCount: number;
}

// NOTE: forward, backward and the lazy Adam step use one thread. Splitting the embedding columns over
// worker threads was measured slower on a 2-core machine shared with other jobs (docs/benchmarks.md)
// and removed; it may pay on a machine with idle cores.
export class EmbeddingBag {
  readonly buckets: number;
  readonly dim: number;
  readonly pooling: Pooling;
  readonly table: Float32Array; // [buckets, dim]
  private readonly scratch: Int32Array; // [buckets] zero between calls of indexBatch

  constructor(buckets: number, dim: number, pooling: Pooling, table?: Float32Array) {
    if (table !== undefined && table.length !== buckets * dim) {
      throw new RangeError(`EmbeddingBag table has ${table.length} values, expected [${buckets}, ${dim}] = ${buckets * dim}`);
    }
    this.buckets = buckets;
    this.dim = dim;
    this.pooling = pooling;
    this.table = table ?? new Float32Array(buckets * dim);
    this.scratch = new Int32Array(buckets);
  }

  /**
   * Fills the table with normal(0, std) draws. Both outputs of each Box–Muller transform are used,
   * so a table needs half the uniform draws and logarithms of the one-output form.
   */
  initialize(rng: Rng, std: number): void {
    const table = this.table;
    for (let i = 0; i < table.length; i += 2) {
      let u = 0;
      while (u === 0) u = rng.next();
      const radius = std * Math.sqrt(-2 * Math.log(u));
      const angle = 2 * Math.PI * rng.next();
      table[i] = radius * Math.cos(angle);
      if (i + 1 < table.length) table[i + 1] = radius * Math.sin(angle);
    }
  }

  /** Groups the occurrences of `batch` by table row; validates every id. */
  indexBatch(batch: FeatureBatch): BagRowIndex {
    const { ids, offsets } = batch;
    const count = this.scratch;
    const bagCount = offsets.length - 1;
    const distinct: number[] = [];
    for (let p = 0; p < ids.length; p++) {
      const id = ids[p]!;
      if (!(id >= 0 && id < this.buckets)) {
        for (const row of distinct) count[row] = 0;
        throw new RangeError(`EmbeddingBag: feature id ${id} at position ${p} is outside [0, ${this.buckets})`);
      }
      if (count[id] === 0) distinct.push(id);
      count[id]!++;
    }

    const rows = Int32Array.from(distinct).sort();
    const starts = new Int32Array(rows.length + 1);
    let start = 0;
    for (let u = 0; u < rows.length; u++) {
      const row = rows[u]!;
      starts[u] = start;
      start += count[row]!;
      count[row] = starts[u]!; // from here on the scratch contains the next free slot of each row
    }
    starts[rows.length] = start;

    const bags = new Int32Array(ids.length);
    const scales = new Float32Array(ids.length);
    for (let b = 0; b < bagCount; b++) {
      const begin = offsets[b]!;
      const end = offsets[b + 1]!;
      const scale = poolingScale(this.pooling, end - begin);
      for (let p = begin; p < end; p++) {
        const slot = count[ids[p]!]!++;
        bags[slot] = b;
        scales[slot] = scale;
      }
    }

    for (let u = 0; u < rows.length; u++) count[rows[u]!] = 0;
    return { rows, starts, bags, scales, bagCount };
  }

  /** Returns [batch, dim] pooled embeddings. */
  forward(batch: FeatureBatch | BagRowIndex): Float32Array {
    const index = "rows" in batch ? batch : this.indexBatch(batch);
    const { rows, starts, bags, scales } = index;
    const dim = this.dim;
    const table = this.table;
    const output = new Float32Array(index.bagCount * dim); // [batch, dim]
    for (let u = 0; u < rows.length; u++) {
      const tableRow = rows[u]! * dim;
      const end = starts[u + 1]!;
      for (let o = starts[u]!; o < end; o++) {
        const outRow = bags[o]! * dim;
        const scale = scales[o]!;
        for (let j = 0; j < dim; j++) output[outRow + j]! += scale * table[tableRow + j]!;
      }
    }
    return output;
  }

  /** Accumulates the table gradient for `gradOutput` [batch, dim] into `grad`. */
  backward(batch: FeatureBatch | BagRowIndex, gradOutput: Float32Array, grad: SparseRowGradient): void {
    const index = "rows" in batch ? batch : this.indexBatch(batch);
    const { rows, starts, bags, scales } = index;
    const dim = this.dim;
    if (gradOutput.length !== index.bagCount * dim) {
      throw new RangeError(`EmbeddingBag.backward: gradOutput has ${gradOutput.length} values, expected [${index.bagCount}, ${dim}]`);
    }
    // Reserve every row first, so the values buffer cannot be replaced while we write into it.
    for (let u = 0; u < rows.length; u++) grad.offsetOf(rows[u]!);
    const values = grad.buffer;
    for (let u = 0; u < rows.length; u++) {
      const target = grad.offsetOf(rows[u]!);
      const end = starts[u + 1]!;
      for (let o = starts[u]!; o < end; o++) {
        const gradRow = bags[o]! * dim;
        const scale = scales[o]!;
        for (let j = 0; j < dim; j++) values[target + j]! += scale * gradOutput[gradRow + j]!;
      }
    }
  }
}

function poolingScale(pooling: Pooling, count: number): number {
  if (count === 0) return 0;
  return pooling === "mean" ? 1 / count : 1 / Math.sqrt(count);
}
