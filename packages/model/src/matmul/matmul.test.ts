import { Rng } from "@mine-refine/core";
import { afterAll, describe, expect, it } from "vitest";
import { JsMatmul } from "./js-matmul.js";
import { OrtMatmul } from "./ort-matmul.js";

const ortMatmul = new OrtMatmul({ intraOpNumThreads: 2 });
const jsMatmul = new JsMatmul();

afterAll(async () => {
  await ortMatmul.dispose();
});

function randomMatrix(rng: Rng, length: number): Float32Array {
  const data = new Float32Array(length);
  for (let i = 0; i < length; i++) data[i] = rng.normal();
  return data;
}

/** Textbook triple loop in float64, independent of both backends. */
function naiveGemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i]! : a[i * k + p]!;
        const bpj = transB ? b[j * k + p]! : b[p * n + j]!;
        sum += aip * bpj;
      }
      c[i * n + j] = sum;
    }
  }
  return c;
}

/** Max over elements of |x - y| / max(1, |y|). */
function maxRelativeDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < y.length; i++) max = Math.max(max, Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(y[i]!)));
  return max;
}

describe("JsMatmul", () => {
  it("2x2 by hand", async () => {
    // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
    const c = await jsMatmul.gemm(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), 2, 2, 2, false, false);
    expect([...c]).toEqual([19, 22, 43, 50]);
  });

  it("transA by hand", async () => {
    // A stored [k=2, m=2] = [[1, 2], [3, 4]], so op(A) = [[1, 3], [2, 4]].
    const c = await jsMatmul.gemm(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), 2, 2, 2, true, false);
    expect([...c]).toEqual([26, 30, 38, 44]);
  });

  it("transB by hand", async () => {
    // B stored [n=2, k=2] = [[5, 6], [7, 8]], so op(B) = [[5, 7], [6, 8]].
    const c = await jsMatmul.gemm(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), 2, 2, 2, false, true);
    expect([...c]).toEqual([17, 23, 39, 53]);
  });

  it("rejects wrong operand length", async () => {
    await expect(jsMatmul.gemm(new Float32Array(5), new Float32Array(4), 2, 2, 2, false, false)).rejects.toThrow(/A has 5 values/);
  });

  for (const [transA, transB] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`matches naive loop trans ${transA}/${transB}`, async () => {
      const rng = new Rng(11);
      const [m, k, n] = [7, 13, 5];
      const a = randomMatrix(rng, m * k);
      const b = randomMatrix(rng, k * n);
      const difference = maxRelativeDifference(await jsMatmul.gemm(a, b, m, k, n, transA, transB), naiveGemm(a, b, m, k, n, transA, transB));
      expect(difference, `max relative difference ${difference}`).toBeLessThan(1e-5);
    });
  }
});

describe("OrtMatmul", () => {
  // Relative tolerance 1e-4 against the JS reference: both accumulate in float32 in different orders.
  for (const [transA, transB] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`matches JsMatmul trans ${transA}/${transB}`, async () => {
      const rng = new Rng(23);
      const [m, k, n] = [33, 70, 19];
      const a = randomMatrix(rng, m * k);
      const b = randomMatrix(rng, k * n);
      const expected = await jsMatmul.gemm(a, b, m, k, n, transA, transB);
      const actual = await ortMatmul.gemm(a, b, m, k, n, transA, transB);
      const difference = maxRelativeDifference(actual, expected);
      expect(actual.length).toBe(m * n);
      expect(difference, `max relative difference ${difference}`).toBeLessThan(1e-4);
    });
  }

  it("reuses a session across shapes", async () => {
    const rng = new Rng(5);
    for (const [m, k, n] of [
      [1, 1, 1],
      [64, 256, 128],
      [3, 2, 9],
    ] as const) {
      const a = randomMatrix(rng, m * k);
      const b = randomMatrix(rng, k * n);
      const difference = maxRelativeDifference(await ortMatmul.gemm(a, b, m, k, n, false, false), await jsMatmul.gemm(a, b, m, k, n, false, false));
      expect(difference, `[${m}, ${k}] x [${k}, ${n}] max relative difference ${difference}`).toBeLessThan(1e-4);
    }
  });

  it("accepts subarray views", async () => {
    const storage = new Float32Array([9, 1, 2, 3, 4, 9]);
    const a = storage.subarray(1, 5);
    const c = await ortMatmul.gemm(a, new Float32Array([5, 6, 7, 8]), 2, 2, 2, false, false);
    expect([...c]).toEqual([19, 22, 43, 50]);
  });

  it("empty batch gives empty result", async () => {
    const c = await ortMatmul.gemm(new Float32Array(0), new Float32Array(6), 0, 2, 3, false, false);
    expect(c.length).toBe(0);
  });
});
