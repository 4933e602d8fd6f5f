import { Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { JsMatmul } from "../matmul/js-matmul.js";
import { centralDifferences, dot, maxRelativeError, normalFloat64 } from "../test/gradient-check.js";
import { Linear } from "./linear.js";

const [rows, inputDim, outputDim] = [3, 4, 5];

/** Float64 reference forward: Y = X W + b. */
function referenceForward(x: Float64Array, w: Float64Array, b: Float64Array): Float64Array {
  const y = new Float64Array(rows * outputDim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < outputDim; j++) {
      let sum = b[j]!;
      for (let i = 0; i < inputDim; i++) sum += x[r * inputDim + i]! * w[i * outputDim + j]!;
      y[r * outputDim + j] = sum;
    }
  }
  return y;
}

async function setup() {
  const rng = new Rng(9);
  const x = normalFloat64(rng, rows * inputDim);
  const w = normalFloat64(rng, inputDim * outputDim);
  const b = normalFloat64(rng, outputDim);
  const r = normalFloat64(rng, rows * outputDim);
  const layer = new Linear(inputDim, outputDim, new JsMatmul());
  layer.weight.set(w);
  layer.bias.set(b);
  const grads = layer.createGradients();
  const gradInput = await layer.backward(Float32Array.from(x), Float32Array.from(r), rows, grads);
  return { x, w, b, r, layer, grads, gradInput };
}

// Tolerance 1e-5 relative: float32 analytic gradients against float64 central differences (h = 1e-6).
describe("Linear", () => {
  it("forward matches float64 reference", async () => {
    const { x, w, b, layer } = await setup();
    const error = maxRelativeError(await layer.forward(Float32Array.from(x), rows), referenceForward(x, w, b));
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });

  it("weight gradient matches finite differences", async () => {
    const { x, w, b, r, grads } = await setup();
    const error = maxRelativeError(grads.weight, centralDifferences((v) => dot(referenceForward(x, v, b), r), w));
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });

  it("bias gradient matches finite differences", async () => {
    const { x, w, b, r, grads } = await setup();
    const error = maxRelativeError(grads.bias, centralDifferences((v) => dot(referenceForward(x, w, v), r), b));
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });

  it("input gradient matches finite differences", async () => {
    const { x, w, b, r, gradInput } = await setup();
    const error = maxRelativeError(gradInput, centralDifferences((v) => dot(referenceForward(v, w, b), r), x));
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });

  it("gradients accumulate", async () => {
    const { x, r, layer, grads } = await setup();
    const once = Float32Array.from(grads.weight);
    await layer.backward(Float32Array.from(x), Float32Array.from(r), rows, grads);
    const error = maxRelativeError(grads.weight, once.map((value) => 2 * value));
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-6);
  });

  it("he initialisation scale", () => {
    const layer = new Linear(200, 100, new JsMatmul());
    layer.initialize(new Rng(1), "he");
    const variance = layer.weight.reduce((sum, value) => sum + value * value, 0) / layer.weight.length;
    // Expected variance 2 / 200 = 0.01; 20,000 draws put the estimate within a few percent.
    expect(variance).toBeGreaterThan(0.0095);
    expect(variance).toBeLessThan(0.0105);
  });
});
