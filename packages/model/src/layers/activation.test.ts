import { Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { centralDifferences, dot, maxRelativeError, normalFloat64 } from "../test/gradient-check.js";
import { type Activation, activationBackward, activationForward } from "./activation.js";

/** Float64 reference forward. */
function reference(kind: Activation, x: Float64Array): Float64Array {
  return x.map((v) => (kind === "relu" ? Math.max(0, v) : 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))));
}

describe("activation", () => {
  it("relu by hand", () => {
    expect([...activationForward("relu", Float32Array.of(-2, 0, 3))]).toEqual([0, 0, 3]);
  });

  it("gelu by hand", () => {
    // gelu(1) = 0.5 (1 + tanh(sqrt(2/π) · 1.044715)) ≈ 0.841192
    expect(activationForward("gelu", Float32Array.of(1))[0]).toBeCloseTo(0.841192, 5);
  });

  for (const kind of ["relu", "gelu"] as const) {
    it(`${kind} backward matches finite differences`, () => {
      const rng = new Rng(4);
      // Keep inputs away from the ReLU kink at 0, where the difference quotient is meaningless.
      const x = normalFloat64(rng, 40, 2).map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));
      const r = normalFloat64(rng, 40);
      const analytic = activationBackward(kind, Float32Array.from(x), Float32Array.from(r));
      const error = maxRelativeError(analytic, centralDifferences((v) => dot(reference(kind, v), r), x));
      // Tolerance 1e-5 relative: float32 analytic against float64 central differences.
      expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
    });
  }
});
