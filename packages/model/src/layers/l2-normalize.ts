/**
 * Shapes used below: rows = batch rows, dim = vector width.
 *
 *   forward:  y = x / max(‖x‖, ε)
 *   backward: dx = (dy - y (y · dy)) / ‖x‖   (and dx = dy / ε for a row whose norm is below ε)
 */

/** Norms below this are clamped, so an all-zero row maps to zero instead of NaN. */
export const L2_EPSILON = 1e-12;

export interface L2NormalizeResult {
  output: Float32Array; // [rows, dim]
  norms: Float32Array; // [rows] ‖x‖ of each input row, before clamping
}

export function l2NormalizeForward(input: Float32Array, rows: number, dim: number): L2NormalizeResult {
  const output = new Float32Array(rows * dim);
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = r * dim;
    let sumOfSquares = 0;
    for (let j = 0; j < dim; j++) sumOfSquares += input[row + j]! * input[row + j]!;
    const norm = Math.sqrt(sumOfSquares);
    norms[r] = norm;
    const inverse = 1 / Math.max(norm, L2_EPSILON);
    for (let j = 0; j < dim; j++) output[row + j] = input[row + j]! * inverse;
  }
  return { output, norms };
}

/** Returns dX [rows, dim] from the forward output, the norms and dY. */
export function l2NormalizeBackward(forward: L2NormalizeResult, gradOutput: Float32Array, rows: number, dim: number): Float32Array {
  const { output, norms } = forward;
  const gradInput = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const row = r * dim;
    const norm = norms[r]!;
    if (norm < L2_EPSILON) {
      // The clamped branch is linear: y = x / ε.
      for (let j = 0; j < dim; j++) gradInput[row + j] = gradOutput[row + j]! / L2_EPSILON;
      continue;
    }
    let projection = 0;
    for (let j = 0; j < dim; j++) projection += output[row + j]! * gradOutput[row + j]!;
    for (let j = 0; j < dim; j++) gradInput[row + j] = (gradOutput[row + j]! - output[row + j]! * projection) / norm;
  }
  return gradInput;
}
