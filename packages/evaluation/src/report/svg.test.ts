import { describe, expect, it } from "vitest";
import { linearScale, niceAxis, niceStep, truncateLabel } from "./svg.js";

describe("niceStep", () => {
  it("picks 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(0.51, 4)).toBeCloseTo(0.2, 12);
    expect(niceStep(1, 5)).toBeCloseTo(0.2, 12);
    expect(niceStep(20, 5)).toBe(5);
    expect(niceStep(7, 7)).toBe(1);
  });
});

describe("niceAxis", () => {
  it("widens the domain to whole steps", () => {
    expect(niceAxis(0, 0.51, 4)).toEqual({ domain: [0, 0.6], ticks: [0, 0.2, 0.4, 0.6], decimals: 1 });
  });

  it("keeps a domain that is already nice", () => {
    expect(niceAxis(0, 1, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("covers negative values", () => {
    // Step 0.2 (0.43 / 4 = 0.1075 rounds up to 2 × 0.1), so the ends widen to -0.2 and 0.4.
    expect(niceAxis(-0.13, 0.3, 4).domain).toEqual([-0.2, 0.4]);
  });

  it("widens a single value", () => {
    // Zero widens by 0.5 each way, and step 0.5 already fits [-0.5, 0.5].
    expect(niceAxis(0, 0, 4).domain).toEqual([-0.5, 0.5]);
  });
});

describe("linearScale", () => {
  it("maps the domain ends to the range ends", () => {
    const scale = linearScale([0, 2], [100, 0]);
    expect(scale(0)).toBe(100);
    expect(scale(2)).toBe(0);
    expect(scale(0.5)).toBe(75);
  });

  it("maps a zero-width domain to the middle", () => {
    expect(linearScale([1, 1], [0, 10])(5)).toBe(5);
  });
});

describe("truncateLabel", () => {
  it("keeps short labels", () => {
    expect(truncateLabel("BM25", 5)).toBe("BM25");
  });

  it("ends long labels with an ellipsis", () => {
    expect(truncateLabel("abcdefgh", 5)).toBe("abcd…");
  });
});
