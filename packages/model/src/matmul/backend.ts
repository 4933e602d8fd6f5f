/**
 * Shapes used below: op(A) is [m, k], op(B) is [k, n], the product C is [m, n]. A is stored as
 * [m, k], or as [k, m] when `transA` is set; B is stored as [k, n], or as [n, k] when `transB` is
 * set. All matrices are row-major flat Float32Arrays.
 */

/** Dense matrix products for the layers. The result is a new array that the caller owns. */
export interface MatmulBackend {
  /** Returns C [m, n] = op(A) · op(B). */
  gemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Promise<Float32Array>;
  /** Releases native resources. The backend must not be used afterwards. */
  dispose(): Promise<void>;
}

/** Throws a RangeError when an operand length does not match the stated dimensions. */
export function checkGemmShapes(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): void {
  for (const [name, value] of [
    ["m", m],
    ["k", k],
    ["n", n],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`gemm: ${name} must be a non-negative integer, received ${value}`);
  }
  if (a.length !== m * k) {
    throw new RangeError(`gemm: A has ${a.length} values but ${transA ? "[k, m]" : "[m, k]"} = ${transA ? `[${k}, ${m}]` : `[${m}, ${k}]`} needs ${m * k}`);
  }
  if (b.length !== k * n) {
    throw new RangeError(`gemm: B has ${b.length} values but ${transB ? "[n, k]" : "[k, n]"} = ${transB ? `[${n}, ${k}]` : `[${k}, ${n}]`} needs ${k * n}`);
  }
}
