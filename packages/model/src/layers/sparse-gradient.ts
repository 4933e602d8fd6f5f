/**
 * Shapes used below: buckets = rows of the embedding table, dim = embedding width, rows = distinct
 * table rows touched since the last `clear()`.
 */

/**
 * Gradient of an embedding table kept only for the rows a batch touched: row ids plus a
 * [rows, dim] block. Backward passes accumulate into it, so a query pass and a product pass through
 * the same table add up. The caller owns it and clears it before each step.
 */
export class SparseRowGradient {
  readonly buckets: number;
  readonly dim: number;
  private readonly localRowOf: Int32Array; // [buckets] index into rowIds, or -1 when untouched
  private rowIds: Int32Array; // [capacity]
  private values: Float32Array; // [capacity, dim]
  private count = 0;

  constructor(buckets: number, dim: number, initialRows = 1024) {
    this.buckets = buckets;
    this.dim = dim;
    this.localRowOf = new Int32Array(buckets).fill(-1);
    this.rowIds = new Int32Array(initialRows);
    this.values = new Float32Array(initialRows * dim);
  }

  /** Number of distinct rows touched. */
  get rowCount(): number {
    return this.count;
  }

  /** [rows] table row ids in first-touched order. A view, valid until the next `clear()` or growth. */
  get rows(): Int32Array {
    return this.rowIds.subarray(0, this.count);
  }

  /** [rows, dim] gradient of each touched row, in the order of `rows`. A view like `rows`. */
  get gradient(): Float32Array {
    return this.values.subarray(0, this.count * this.dim);
  }

  /** Returns the offset of `rowId`'s gradient in the values buffer, adding a zero row on first touch. */
  offsetOf(rowId: number): number {
    let local = this.localRowOf[rowId]!;
    if (local < 0) {
      if (this.count === this.rowIds.length) this.grow();
      local = this.count++;
      this.localRowOf[rowId] = local;
      this.rowIds[local] = rowId;
    }
    return local * this.dim;
  }

  /** Returns the values buffer that `offsetOf` indexes. Call after the last `offsetOf` of a pass, because growth replaces it. */
  get buffer(): Float32Array {
    return this.values;
  }

  /** Forgets every touched row, in time proportional to the rows touched rather than to the table. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.localRowOf[this.rowIds[i]!] = -1;
    this.values.fill(0, 0, this.count * this.dim);
    this.count = 0;
  }

  private grow(): void {
    const rowIds = new Int32Array(this.rowIds.length * 2);
    rowIds.set(this.rowIds);
    const values = new Float32Array(rowIds.length * this.dim);
    values.set(this.values);
    this.rowIds = rowIds;
    this.values = values;
  }
}
