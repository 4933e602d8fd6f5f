/**
 * Shapes as in `backend.ts`: op(A) [m, k], op(B) [k, n], C [m, n], row-major.
 */
import { type MatmulBackend, checkGemmShapes } from "./backend.js";

/**
 * Reference matrix products in plain TypeScript, for tests and tiny models. Loops are ordered so the
 * innermost one walks contiguous memory, but this is still far slower than ONNX Runtime.
 */
export class JsMatmul implements MatmulBackend {
  async gemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Promise<Float32Array> {
    return gemmSync(a, b, m, k, n, transA, transB);
  }

  async dispose(): Promise<void> {}
}

/** Synchronous form of `JsMatmul.gemm`. */
export function gemmSync(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float32Array {
  checkGemmShapes(a, b, m, k, n, transA, transB);
  const c = new Float32Array(m * n); // [m, n]
  if (!transB) {
    // C[i, :] += A(i, p) * B[p, :], so the inner loop runs along a row of B and of C.
    for (let i = 0; i < m; i++) {
      const cRow = i * n;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i]! : a[i * k + p]!;
        if (aip === 0) continue;
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j]! += aip * b[bRow + j]!;
      }
    }
    return c;
  }
  // B is stored [n, k], so C[i, j] is a dot product of row j of B with column i of op(A).
  const column = new Float64Array(k); // [k]
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) column[p] = transA ? a[p * m + i]! : a[i * k + p]!;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += column[p]! * b[bRow + p]!;
      c[i * n + j] = sum;
    }
  }
  return c;
}
