import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { createInfoNceLoss, createInfoNceLoss64 } from "./info-nce.js";
import { createSupConLoss64 } from "./supcon.js";
import { checkBatchLossGradient } from "./test/gradient-check.js";
import { randomBatch } from "./test/random-batch.js";
import { type BatchLossInput64, UNJUDGED } from "./types.js";

const R = GRADE_RELEVANT;
const M = GRADE_MODERATE;
const I = GRADE_IRRELEVANT;
const U = UNJUDGED;

describe("createInfoNceLoss", () => {
  it("matches the hand computation", () => {
    // Cosines are q0 → [1, 0, 0.6] and q1 → [0, 1, 0.8], and τ = 0.5 doubles them.
    const input: BatchLossInput64 = {
      queries: new Float64Array([1, 0, 0, 1]),
      products: new Float64Array([1, 0, 0, 1, 0.6, 0.8]),
      numQueries: 2,
      numProducts: 3,
      dim: 2,
      grades: new Int8Array([R, I, M, U, R, R]),
    };
    // q0 has one positive (p0). q1 has two (p1, p2), each contrasted with p0 only.
    const q0p0 = Math.log(Math.exp(2) + Math.exp(0) + Math.exp(1.2)) - 2;
    const q1p1 = Math.log(Math.exp(2) + Math.exp(0)) - 2;
    const q1p2 = Math.log(Math.exp(1.6) + Math.exp(0)) - 1.6;
    expect(createInfoNceLoss64({ temperature: 0.5 })(input).loss).toBeCloseTo((q0p0 + q1p1 + q1p2) / 3, 12);
  });

  it("equals SupCon with one positive per query", () => {
    const input = randomBatch(51, 6, [
      [R, M, I, U],
      [U, I, R, M],
      [I, U, M, R],
    ]);
    const expected = createSupConLoss64({ moderateAs: "negative", temperature: 0.1 })(input).loss;
    expect(createInfoNceLoss64({ temperature: 0.1 })(input).loss).toBeCloseTo(expected, 12);
  });

  it("batch without relevant products returns zero", () => {
    const result = createInfoNceLoss64()(randomBatch(52, 4, [[M, I, U]]));
    expect(result.loss).toBe(0);
    expect(result.gradProducts.every((g) => g === 0)).toBe(true);
  });

  for (const temperature of [0.05, 0.5]) {
    it(`matches finite differences, τ ${temperature}`, () => {
      const input = randomBatch(53, 5, [
        [R, M, I, U, R, I],
        [U, R, R, M, I, U],
        [I, U, I, M, U, I],
        [M, R, U, I, R, R],
      ]);
      const check = checkBatchLossGradient(createInfoNceLoss64({ temperature }), input);
      expect(check.queries.maxAbsoluteError).toBeLessThan(1e-6);
      expect(check.products.maxAbsoluteError).toBeLessThan(1e-6);
      expect(check.products.maxNumericMagnitude).toBeGreaterThan(0.01);
    });
  }

  it("rejects a non-positive temperature", () => {
    expect(() => createInfoNceLoss({ temperature: -0.1 })).toThrow(/temperature: expected a finite number > 0, received -0.1/);
  });
});
