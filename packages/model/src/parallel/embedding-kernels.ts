/**
 * The inner loops of the embedding bag and its lazy Adam step, over a column range [begin, end) of
 * the embedding. Shapes: rows = distinct table rows of a batch, nnz = occurrences, batch = bags,
 * dim = embedding width.
 *
 * Every output element depends only on its own column, and each loop visits rows and occurrences in
 * the same order whatever the range, so splitting the columns between threads gives bitwise the same
 * result as one thread over [0, dim). The worker threads run these functions from their source text
 * (see `embedding-workers.ts`), so they must not reference anything outside their own body.
 */

/** output[bags[o], j] += scales[o] · table[rows[u], j] for every occurrence o of row u. */
export function bagForwardColumns(
  rowCount: number,
  rows: Int32Array, // [rows]
  starts: Int32Array, // [rows + 1]
  bags: Int32Array, // [nnz]
  scales: Float32Array, // [nnz]
  table: Float32Array, // [buckets, dim]
  output: Float32Array, // [batch, dim]
  dim: number,
  begin: number,
  end: number,
): void {
  for (let u = 0; u < rowCount; u++) {
    const tableRow = rows[u]! * dim;
    const stop = starts[u + 1]!;
    for (let o = starts[u]!; o < stop; o++) {
      const outRow = bags[o]! * dim;
      const scale = scales[o]!;
      for (let j = begin; j < end; j++) output[outRow + j]! += scale * table[tableRow + j]!;
    }
  }
}

/** values[targets[u] + j] += scales[o] · gradOutput[bags[o], j] for every occurrence o of row u. */
export function bagBackwardColumns(
  rowCount: number,
  targets: Int32Array, // [rows] offset of each row's gradient in `values`
  starts: Int32Array, // [rows + 1]
  bags: Int32Array, // [nnz]
  scales: Float32Array, // [nnz]
  gradOutput: Float32Array, // [batch, dim]
  values: Float32Array, // [gradient rows, dim]
  dim: number,
  begin: number,
  end: number,
): void {
  for (let u = 0; u < rowCount; u++) {
    const target = targets[u]!;
    const stop = starts[u + 1]!;
    for (let o = starts[u]!; o < stop; o++) {
      const gradRow = bags[o]! * dim;
      const scale = scales[o]!;
      for (let j = begin; j < end; j++) values[target + j]! += scale * gradOutput[gradRow + j]!;
    }
  }
}

/**
 * Lazy Adam update of the listed rows. `stepSizes[r]` is lr / (1 - beta1^t) and
 * `inverseCorrections[r]` is 1 / sqrt(1 - beta2^t) for that row's own step count t.
 */
export function adamColumns(
  rowCount: number,
  rows: Int32Array, // [rows]
  stepSizes: Float64Array, // [rows]
  inverseCorrections: Float64Array, // [rows]
  gradient: Float32Array, // [rows, dim]
  table: Float32Array, // [buckets, dim]
  firstMoments: Float32Array, // [buckets, dim]
  secondMoments: Float32Array, // [buckets, dim]
  beta1: number,
  beta2: number,
  epsilon: number,
  dim: number,
  begin: number,
  end: number,
): void {
  for (let local = 0; local < rowCount; local++) {
    const stepSize = stepSizes[local]!;
    const inverseCorrection = inverseCorrections[local]!;
    const tableOffset = rows[local]! * dim;
    const gradientOffset = local * dim;
    for (let j = begin; j < end; j++) {
      const g = gradient[gradientOffset + j]!;
      const at = tableOffset + j;
      const mi = beta1 * firstMoments[at]! + (1 - beta1) * g;
      const vi = beta2 * secondMoments[at]! + (1 - beta2) * g * g;
      firstMoments[at] = mi;
      secondMoments[at] = vi;
      table[at]! -= (stepSize * mi) / (Math.sqrt(vi) * inverseCorrection + epsilon);
    }
  }
}
