import { describe, expect, it } from "vitest";
import { SparseRowGradient } from "../layers/sparse-gradient.js";
import { AdamW } from "./adamw.js";
import { clipGradientNorm } from "./clip.js";
import { LazyAdam } from "./lazy-adam.js";
import { learningRateAt } from "./schedule.js";

describe("AdamW", () => {
  it("first step moves by learning rate", () => {
    // m̂ = g and v̂ = g², so the step is η g / |g| = 0.1 without decay.
    const p = Float32Array.of(1);
    new AdamW([{ data: p, decay: false }]).step([Float32Array.of(0.5)], 0.1);
    expect(p[0]).toBeCloseTo(0.9, 6);
  });

  it("second step uses bias correction", () => {
    // Step 2 with g = -0.5 after g = 0.5: m = 0.9·0.05 - 0.05 = -0.005, m̂ = -0.005 / 0.19;
    // v = 0.999·0.00025 + 0.00025 = 0.00049975, v̂ = 0.00049975 / 0.001999 = 0.25.
    // Step = 0.1 · (-0.0263158) / 0.5 = -0.00526316, so p = 0.9 + 0.00526316.
    const p = Float32Array.of(1);
    const optimizer = new AdamW([{ data: p, decay: false }]);
    optimizer.step([Float32Array.of(0.5)], 0.1);
    optimizer.step([Float32Array.of(-0.5)], 0.1);
    expect(p[0]).toBeCloseTo(0.9052632, 5);
  });

  it("decoupled weight decay", () => {
    // p = 2 - η λ p - η = 2 - 0.1·0.5·2 - 0.1 = 1.8.
    const p = Float32Array.of(2);
    new AdamW([{ data: p, decay: true }], { weightDecay: 0.5 }).step([Float32Array.of(3)], 0.1);
    expect(p[0]).toBeCloseTo(1.8, 6);
  });

  it("no decay on excluded parameter", () => {
    const p = Float32Array.of(2);
    new AdamW([{ data: p, decay: false }], { weightDecay: 0.5 }).step([Float32Array.of(3)], 0.1);
    expect(p[0]).toBeCloseTo(1.9, 6);
  });
});

describe("LazyAdam", () => {
  it("updates touched rows only", () => {
    const table = Float32Array.of(1, 1, 2, 2, 3, 3); // [3, 2]
    const gradient = new SparseRowGradient(3, 2);
    const offset = gradient.offsetOf(1);
    gradient.buffer[offset] = 0.5;
    gradient.buffer[offset + 1] = -2;
    new LazyAdam(table, 2).step(gradient, 0.1);
    expect([...table.subarray(0, 2)]).toEqual([1, 1]);
    expect(table[2]).toBeCloseTo(1.9, 6);
    expect(table[3]).toBeCloseTo(2.1, 6);
    expect([...table.subarray(4)]).toEqual([3, 3]);
  });

  it("per-row step count sets bias correction", () => {
    // Row 0 is touched at steps 1 and 2, row 1 only at step 2. Row 1's first update must be
    // the full first step (η sign g), as if it were the first global step.
    const table = Float32Array.of(0, 0); // [2, 1]
    const optimizer = new LazyAdam(table, 1);
    const gradient = new SparseRowGradient(2, 1);
    gradient.buffer[gradient.offsetOf(0)] = 1;
    optimizer.step(gradient, 0.1);
    gradient.clear();
    gradient.buffer[gradient.offsetOf(0)] = 1;
    gradient.buffer[gradient.offsetOf(1)] = 1;
    optimizer.step(gradient, 0.1);
    expect(table[1]).toBeCloseTo(-0.1, 6);
    expect(table[0]).toBeCloseTo(-0.2, 6);
  });
});

describe("clipGradientNorm", () => {
  it("scales dense and sparse together", () => {
    // Norm of [3, 4] and the sparse value 12 is 13; maxNorm 6.5 halves everything.
    const dense = Float32Array.of(3, 4);
    const sparse = new SparseRowGradient(4, 1);
    sparse.buffer[sparse.offsetOf(2)] = 12;
    const result = clipGradientNorm([dense], [sparse], 6.5);
    expect(result.norm).toBeCloseTo(13, 6);
    expect(result.scale).toBeCloseTo(0.5, 6);
    expect([...dense]).toEqual([1.5, 2]);
    expect([...sparse.gradient]).toEqual([6]);
  });

  it("leaves small gradients alone", () => {
    const dense = Float32Array.of(3, 4);
    const result = clipGradientNorm([dense], [], 10);
    expect(result.scale).toBe(1);
    expect([...dense]).toEqual([3, 4]);
  });
});

describe("learningRateAt", () => {
  const base = { peakLearningRate: 1, warmupSteps: 4, totalSteps: 14 };

  it("warmup is linear", () => {
    expect(learningRateAt({ ...base, decay: "linear" }, 0)).toBeCloseTo(0.25, 12);
    expect(learningRateAt({ ...base, decay: "linear" }, 3)).toBeCloseTo(1, 12);
  });

  it("linear decay halfway", () => {
    // Step 9 is 5 of 10 decay steps: progress 0.5.
    expect(learningRateAt({ ...base, decay: "linear" }, 9)).toBeCloseTo(0.5, 12);
  });

  it("cosine decay quarter way", () => {
    // With 12 total steps, step 6 is 2 of 8 decay steps: (1 + cos(π/4)) / 2 = 0.853553.
    expect(learningRateAt({ ...base, totalSteps: 12, decay: "cosine" }, 6)).toBeCloseTo(0.8535534, 6);
  });

  it("cosine decay respects floor", () => {
    // Progress 0.5 with min 0.2: 0.2 + 0.8 · 0.5 = 0.6.
    expect(learningRateAt({ ...base, decay: "cosine", minLearningRate: 0.2 }, 9)).toBeCloseTo(0.6, 12);
  });

  it("constant after warmup", () => {
    expect(learningRateAt({ ...base, decay: "constant" }, 13)).toBe(1);
  });

  it("no warmup starts at peak", () => {
    expect(learningRateAt({ ...base, warmupSteps: 0, decay: "linear" }, 0)).toBe(1);
  });
});
