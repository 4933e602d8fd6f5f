import { describe, expect, it } from "vitest";
import { betaCdf, logGamma } from "./beta.js";

describe("logGamma", () => {
  it("matches factorials", () => {
    // Gamma(6) = 5! = 120
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 10);
  });

  it("matches Gamma(1/2) = sqrt(pi)", () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 10);
  });
});

describe("betaCdf", () => {
  it("is x for the uniform Beta(1, 1)", () => {
    expect(betaCdf(0.3, 1, 1)).toBeCloseTo(0.3, 10);
  });

  it("matches the closed form of Beta(2, 3)", () => {
    // CDF of Beta(2, 3) is 6x^2 - 8x^3 + 3x^4.
    const x = 0.4;
    expect(betaCdf(x, 2, 3)).toBeCloseTo(6 * x ** 2 - 8 * x ** 3 + 3 * x ** 4, 10);
  });

  it("is symmetric for swapped shapes", () => {
    expect(betaCdf(0.7, 5, 2) + betaCdf(0.3, 2, 5)).toBeCloseTo(1, 10);
  });

  it("is 0.5 at the median of a symmetric beta", () => {
    expect(betaCdf(0.5, 400, 400)).toBeCloseTo(0.5, 10);
  });
});
