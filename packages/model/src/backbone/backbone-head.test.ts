import { Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { centralDifferences, dot, maxRelativeError, normalFloat64 } from "../test/gradient-check.js";
import { BackboneHead, type BackboneHeadConfig } from "./backbone-head.js";

const config: BackboneHeadConfig = { inputDim: 5, hiddenDims: [4], outputDim: 3, activation: "gelu" };
const ROWS = 2;
const input = Float32Array.from(normalFloat64(new Rng(1), ROWS * 5)); // [2, 5]

interface Weights {
  w0: Float64Array;
  b0: Float64Array;
  w1: Float64Array;
  b1: Float64Array;
}

/** Float64 reference of the head, written from the formulas rather than from the layers. */
function referenceHead(weights: Weights): Float64Array {
  const [I, H, O] = [5, 4, 3];
  const output = new Float64Array(ROWS * O);
  for (let b = 0; b < ROWS; b++) {
    const hidden = new Float64Array(H);
    for (let h = 0; h < H; h++) {
      let z = weights.b0[h]!;
      for (let i = 0; i < I; i++) z += input[b * I + i]! * weights.w0[i * H + h]!;
      hidden[h] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
    }
    const out = new Float64Array(O);
    for (let o = 0; o < O; o++) {
      let z = weights.b1[o]!;
      for (let h = 0; h < H; h++) z += hidden[h]! * weights.w1[h * O + o]!;
      out[o] = z;
    }
    const norm = Math.hypot(...out);
    for (let o = 0; o < O; o++) output[b * O + o] = out[o]! / norm;
  }
  return output;
}

async function setup() {
  const head = new BackboneHead(config, { seed: 5 });
  const weights: Weights = {
    w0: Float64Array.from(head.linears[0]!.weight),
    b0: normalFloat64(new Rng(2), 4, 0.1),
    w1: Float64Array.from(head.linears[1]!.weight),
    b1: normalFloat64(new Rng(3), 3, 0.1),
  };
  head.linears[0]!.bias.set(weights.b0);
  head.linears[1]!.bias.set(weights.b1);
  const r = normalFloat64(new Rng(4), ROWS * 3);
  const { output, cache } = await head.forward(input, ROWS);
  const grads = head.createGradients();
  await head.backward(cache, Float32Array.from(r), grads);
  return { head, weights, r, output, grads };
}

// Tolerance 1e-4 relative: float32 analytic gradients against float64 central differences (h = 1e-6)
// of an independent reference, as for the n-gram tower.
describe("BackboneHead", () => {
  it("forward matches float64 reference", async () => {
    const { weights, output } = await setup();
    const error = maxRelativeError(output, referenceHead(weights));
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });

  for (const name of ["w0", "b0", "w1", "b1"] as const) {
    it(`${name} gradient matches finite differences`, async () => {
      const { weights, r, grads } = await setup();
      const numeric = centralDifferences((v) => dot(referenceHead({ ...weights, [name]: v }), r), weights[name]);
      const analytic = { w0: grads.linears[0]!.weight, b0: grads.linears[0]!.bias, w1: grads.linears[1]!.weight, b1: grads.linears[1]!.bias }[name];
      const error = maxRelativeError(analytic, numeric);
      expect(error, `max relative difference ${error}`).toBeLessThan(1e-4);
    });
  }

  it("backward accumulates into grads", async () => {
    const { head, grads } = await setup();
    const once = Float32Array.from(grads.linears[1]!.weight);
    const { cache } = await head.forward(input, ROWS);
    await head.backward(cache, Float32Array.from(normalFloat64(new Rng(4), ROWS * 3)), grads);
    const expected = once.map((value) => 2 * value);
    expect(maxRelativeError(grads.linears[1]!.weight, expected)).toBeLessThan(1e-6);
  });

  it("encode equals forward output", async () => {
    const { head, output } = await setup();
    expect(await head.encode(input, ROWS)).toEqual(output);
  });

  it("no hidden layers", async () => {
    const head = new BackboneHead({ ...config, hiddenDims: [] });
    expect(head.linears.length).toBe(1);
    expect(head.parameters().map((parameter) => parameter.name)).toEqual(["linears.0.weight", "linears.0.bias"]);
  });

  it("same seed same weights", () => {
    expect(new BackboneHead(config, { seed: 9 }).linears[0]!.weight).toEqual(new BackboneHead(config, { seed: 9 }).linears[0]!.weight);
  });

  it("rejects input of the wrong width", async () => {
    await expect(new BackboneHead(config).forward(new Float32Array(8), 2)).rejects.toThrow(/input has 8 values, expected \[2, 5\]/);
  });

  it("rejects invalid config", () => {
    expect(() => new BackboneHead({ ...config, inputDim: 0, activation: "tanh" as "relu" })).toThrow(
      /inputDim must be a positive integer, received 0; activation must be "relu" or "gelu", received tanh/,
    );
  });
});
