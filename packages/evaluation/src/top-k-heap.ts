/**
 * One bounded min-heap of (index, score) items per row, in flat arrays, keeping each row's `capacity`
 * best items. The root of each heap is its worst kept item: the lowest score, and among equal scores
 * the higher index, so ties resolve to the lower index.
 */
export class TopKHeaps {
  /** [rows, capacity] */
  private readonly scores: Float64Array;
  /** [rows, capacity] */
  private readonly indices: Int32Array;
  /** [rows] */
  private readonly sizes: Int32Array;

  constructor(
    private readonly rows: number,
    private readonly capacity: number,
  ) {
    this.scores = new Float64Array(rows * capacity);
    this.indices = new Int32Array(rows * capacity);
    this.sizes = new Int32Array(rows);
  }

  /** Keeps the item when it beats the worst kept item of its row, or when the row is not full. */
  offer(row: number, index: number, score: number): void {
    // A NaN score (from NaN in the input vectors) would break the heap order, so it is dropped.
    if (Number.isNaN(score)) return;
    const base = row * this.capacity;
    const size = this.sizes[row]!;
    if (size < this.capacity) {
      this.sizes[row] = size + 1;
      this.siftUp(base, size, index, score);
      return;
    }
    const rootScore = this.scores[base]!;
    if (score < rootScore) return;
    if (score === rootScore && index > this.indices[base]!) return;
    this.siftDown(base, index, score);
  }

  /** Returns each row's items sorted best first; a row with fewer items is padded with index -1 and score NaN. */
  sortedRows(): { indices: Int32Array; scores: Float64Array } {
    const indices = new Int32Array(this.rows * this.capacity).fill(-1); // [rows, capacity]
    const scores = new Float64Array(this.rows * this.capacity).fill(Number.NaN); // [rows, capacity]
    const order: number[] = [];
    for (let row = 0; row < this.rows; row++) {
      const base = row * this.capacity;
      const size = this.sizes[row]!;
      order.length = 0;
      for (let slot = 0; slot < size; slot++) order.push(slot);
      order.sort((a, b) => {
        const difference = this.scores[base + b]! - this.scores[base + a]!;
        return difference !== 0 ? difference : this.indices[base + a]! - this.indices[base + b]!;
      });
      for (let rank = 0; rank < size; rank++) {
        const slot = order[rank]!;
        indices[base + rank] = this.indices[base + slot]!;
        scores[base + rank] = this.scores[base + slot]!;
      }
    }
    return { indices, scores };
  }

  /** True when item a belongs closer to the root than item b, that is, a is worse. */
  private static worse(scoreA: number, indexA: number, scoreB: number, indexB: number): boolean {
    return scoreA < scoreB || (scoreA === scoreB && indexA > indexB);
  }

  private siftUp(base: number, position: number, index: number, score: number): void {
    while (position > 0) {
      const parent = (position - 1) >> 1;
      const parentScore = this.scores[base + parent]!;
      const parentIndex = this.indices[base + parent]!;
      if (!TopKHeaps.worse(score, index, parentScore, parentIndex)) break;
      this.scores[base + position] = parentScore;
      this.indices[base + position] = parentIndex;
      position = parent;
    }
    this.scores[base + position] = score;
    this.indices[base + position] = index;
  }

  /** Replaces the root with the new item and restores the heap order. */
  private siftDown(base: number, index: number, score: number): void {
    const size = this.capacity;
    let position = 0;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= size) break;
      let child = left;
      const right = left + 1;
      if (
        right < size &&
        TopKHeaps.worse(this.scores[base + right]!, this.indices[base + right]!, this.scores[base + left]!, this.indices[base + left]!)
      ) {
        child = right;
      }
      const childScore = this.scores[base + child]!;
      const childIndex = this.indices[base + child]!;
      if (!TopKHeaps.worse(childScore, childIndex, score, index)) break;
      this.scores[base + position] = childScore;
      this.indices[base + position] = childIndex;
      position = child;
    }
    this.scores[base + position] = score;
    this.indices[base + position] = index;
  }
}
