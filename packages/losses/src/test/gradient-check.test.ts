import { describe, expect, it } from "vitest";
import { checkGradient } from "./gradient-check.js";

// f(x) = Σ x_k³, so df/dx_k = 3·x_k².
const cubeSum = (x: Float64Array): number => x.reduce((sum, v) => sum + v * v * v, 0);

describe("checkGradient", () => {
  it("accepts an exact gradient", () => {
    const point = new Float64Array([0.5, -1.2, 2]);
    const result = checkGradient(cubeSum, point, [0.75, 4.32, 12]);
    expect(result.maxAbsoluteError).toBeLessThan(1e-8);
    expect(result.checkedCount).toBe(3);
  });

  it("reports a wrong entry", () => {
    const point = new Float64Array([0.5, -1.2, 2]);
    const result = checkGradient(cubeSum, point, [0.75, 4.32, 11]);
    expect(result.worstIndex).toBe(2);
    expect(result.maxAbsoluteError).toBeCloseTo(1, 6);
    expect(result.maxRelativeError).toBeCloseTo(1 / 12, 6);
  });

  it("restores the point", () => {
    const point = new Float64Array([0.5, -1.2, 2]);
    checkGradient(cubeSum, point, [0.75, 4.32, 12]);
    expect([...point]).toEqual([0.5, -1.2, 2]);
  });

  it("checks only the given indices", () => {
    const result = checkGradient(cubeSum, new Float64Array([1, 1, 1]), [3, 0, 3], { indices: [0, 2] });
    expect(result.checkedCount).toBe(2);
    expect(result.maxAbsoluteError).toBeLessThan(1e-8);
  });

  it("rejects a gradient of the wrong length", () => {
    expect(() => checkGradient(cubeSum, new Float64Array(3), [1, 2])).toThrow(/length 2, expected the point's length 3/);
  });
});
