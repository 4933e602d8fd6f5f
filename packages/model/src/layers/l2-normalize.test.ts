import { Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { centralDifferences, dot, maxRelativeError, normalFloat64 } from "../test/gradient-check.js";
import { l2NormalizeBackward, l2NormalizeForward } from "./l2-normalize.js";

const [rows, dim] = [3, 4];

function reference(x: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += x[r * dim + j]! ** 2;
    for (let j = 0; j < dim; j++) y[r * dim + j] = x[r * dim + j]! / Math.sqrt(sum);
  }
  return y;
}

describe("l2Normalize", () => {
  it("forward by hand", () => {
    const { output, norms } = l2NormalizeForward(Float32Array.of(3, 4), 1, 2);
    expect([...output]).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect([...norms]).toEqual([5]);
  });

  it("zero row stays zero", () => {
    const { output } = l2NormalizeForward(new Float32Array(3), 1, 3);
    expect([...output]).toEqual([0, 0, 0]);
  });

  it("backward matches finite differences", () => {
    const rng = new Rng(8);
    const x = normalFloat64(rng, rows * dim);
    const r = normalFloat64(rng, rows * dim);
    const forward = l2NormalizeForward(Float32Array.from(x), rows, dim);
    const analytic = l2NormalizeBackward(forward, Float32Array.from(r), rows, dim);
    const error = maxRelativeError(analytic, centralDifferences((v) => dot(reference(v), r), x));
    // Tolerance 1e-5 relative: float32 analytic against float64 central differences (h = 1e-6).
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });
});
