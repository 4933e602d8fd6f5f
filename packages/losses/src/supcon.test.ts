import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { createSupConLoss, createSupConLoss64, type SupConLossOptions } from "./supcon.js";
import { checkBatchLossGradient } from "./test/gradient-check.js";
import { randomBatch } from "./test/random-batch.js";
import { type BatchLossInput64, UNJUDGED } from "./types.js";

const R = GRADE_RELEVANT;
const M = GRADE_MODERATE;
const I = GRADE_IRRELEVANT;
const U = UNJUDGED;

/**
 * Queries q0 = (1, 0), q1 = (0, 1) and products p0 = (1, 0), p1 = (0, 1), p2 = (0.6, 0.8).
 * Cosines: q0 → [1, 0, 0.6], q1 → [0, 1, 0.8]. Grades: q0 → [2, 0, 1], q1 → [unjudged, 2, 2].
 */
function handBatch(): BatchLossInput64 {
  return {
    queries: new Float64Array([1, 0, 0, 1]),
    products: new Float64Array([1, 0, 0, 1, 0.6, 0.8]),
    numQueries: 2,
    numProducts: 3,
    dim: 2,
    grades: new Int8Array([R, I, M, U, R, R]),
  };
}

function toFloat32(input: BatchLossInput64) {
  return { ...input, queries: new Float32Array(input.queries), products: new Float32Array(input.products) };
}

describe("createSupConLoss value", () => {
  // With τ = 0.5 the scores are twice the cosines: q0 → [2, 0, 1.2], q1 → [0, 2, 1.6].
  const lse0 = Math.log(Math.exp(2) + Math.exp(0) + Math.exp(1.2)); // 2.46037
  const lse1 = Math.log(Math.exp(0) + Math.exp(2) + Math.exp(1.6)); // 2.59092
  const anchor1 = (lse1 - 2 + (lse1 - 1.6)) / 2; // 0.79092

  it("matches the hand computation with moderate positives", () => {
    const anchor0 = (1 * (lse0 - 2) + 0.5 * (lse0 - 1.2)) / 1.5; // 0.72704
    const loss = createSupConLoss64({ temperature: 0.5, moderateAs: "positive", moderateWeight: 0.5 });
    expect(loss(handBatch()).loss).toBeCloseTo((anchor0 + anchor1) / 2, 12); // 0.75898
  });

  it("matches the hand computation with moderate ignored", () => {
    // p2 leaves the softmax of q0: its denominator is e² + e⁰.
    const anchor0 = Math.log(Math.exp(2) + Math.exp(0)) - 2; // 0.12693
    const loss = createSupConLoss64({ temperature: 0.5, moderateAs: "ignore" });
    expect(loss(handBatch()).loss).toBeCloseTo((anchor0 + anchor1) / 2, 12); // 0.45893
  });

  it("matches the hand computation with moderate negative", () => {
    const anchor0 = lse0 - 2;
    const loss = createSupConLoss64({ temperature: 0.5, moderateAs: "negative" });
    expect(loss(handBatch()).loss).toBeCloseTo((anchor0 + anchor1) / 2, 12);
  });

  it("float32 agrees with float64 within 1e-5", () => {
    const options: SupConLossOptions = { temperature: 0.5 };
    const expected = createSupConLoss64(options)(handBatch());
    const actual = createSupConLoss(options)(toFloat32(handBatch()));
    expect(Math.abs(actual.loss - expected.loss)).toBeLessThan(1e-5);
    for (let k = 0; k < expected.gradQueries.length; k++) {
      expect(Math.abs(actual.gradQueries[k]! - expected.gradQueries[k]!)).toBeLessThan(1e-5);
    }
    for (let k = 0; k < expected.gradProducts.length; k++) {
      expect(Math.abs(actual.gradProducts[k]! - expected.gradProducts[k]!)).toBeLessThan(1e-5);
    }
  });

  it("symmetric term averages both directions", () => {
    // Product anchors over the queries, τ = 0.5: p0 → [2 (q0, positive), 0 (q1, unjudged)],
    // p1 → [0 (irrelevant), 2 (positive)], p2 → [1.2 (moderate, weight 0.5), 1.6 (positive)].
    const p0 = Math.log(Math.exp(2) + Math.exp(0)) - 2;
    const p1 = Math.log(Math.exp(0) + Math.exp(2)) - 2;
    const lse2 = Math.log(Math.exp(1.2) + Math.exp(1.6));
    const p2 = (0.5 * (lse2 - 1.2) + 1 * (lse2 - 1.6)) / 1.5;
    const anchor0 = (1 * (lse0 - 2) + 0.5 * (lse0 - 1.2)) / 1.5;
    const expected = 0.5 * ((anchor0 + anchor1) / 2) + 0.5 * ((p0 + p1 + p2) / 3);
    const loss = createSupConLoss64({ temperature: 0.5, symmetric: true });
    expect(loss(handBatch()).loss).toBeCloseTo(expected, 12);
  });
});

describe("createSupConLoss masks", () => {
  it("anchor without positives adds nothing", () => {
    const withExtra = randomBatch(7, 4, [
      [R, I, M],
      [I, U, I],
    ]);
    const alone: BatchLossInput64 = {
      ...withExtra,
      queries: withExtra.queries.slice(0, 4),
      numQueries: 1,
      grades: withExtra.grades.slice(0, 3),
    };
    const loss = createSupConLoss64();
    const result = loss(withExtra);
    expect(result.loss).toBeCloseTo(loss(alone).loss, 12);
    for (let d = 4; d < 8; d++) expect(result.gradQueries[d]).toBe(0);
  });

  it("batch without positives returns zero", () => {
    const input = randomBatch(8, 4, [
      [I, U],
      [M, I],
    ]);
    const result = createSupConLoss64({ moderateAs: "ignore" })(input);
    expect(result.loss).toBe(0);
    expect(result.gradQueries.every((g) => g === 0)).toBe(true);
    expect(result.gradProducts.every((g) => g === 0)).toBe(true);
  });

  it("ignored product leaves loss and gradient", () => {
    // A single anchor, so p2, its only moderate product, appears in no other softmax.
    const full = randomBatch(9, 4, [[R, I, M, U]]);
    const loss = createSupConLoss64({ moderateAs: "ignore" });
    const result = loss(full);

    const moved = { ...full, products: full.products.slice() };
    moved.products.set([0.5, -0.5, 0.5, 0.5], 8);
    expect(loss(moved).loss).toBeCloseTo(result.loss, 14);
    for (let d = 8; d < 12; d++) expect(result.gradProducts[d]).toBe(0);

    const withoutIgnored: BatchLossInput64 = {
      ...full,
      products: new Float64Array([...full.products.slice(0, 8), ...full.products.slice(12, 16)]),
      numProducts: 3,
      grades: new Int8Array([R, I, U]),
    };
    expect(loss(withoutIgnored).loss).toBeCloseTo(result.loss, 14);
  });

  it("unjudged cell equals irrelevant cell", () => {
    const unjudged = randomBatch(10, 4, [[R, U, M]]);
    const irrelevant = { ...unjudged, grades: new Int8Array([R, I, M]) };
    const loss = createSupConLoss64();
    expect(loss(unjudged).loss).toBe(loss(irrelevant).loss);
  });

  it("moderate as negative equals irrelevant", () => {
    const moderate = randomBatch(11, 4, [[R, M, I]]);
    const irrelevant = { ...moderate, grades: new Int8Array([R, I, I]) };
    expect(createSupConLoss64({ moderateAs: "negative" })(moderate).loss).toBe(createSupConLoss64()(irrelevant).loss);
  });

  it("moderate weight 1 equals relevant", () => {
    const moderate = randomBatch(12, 4, [[R, M, I]]);
    const relevant = { ...moderate, grades: new Int8Array([R, R, I]) };
    const loss = createSupConLoss64({ moderateWeight: 1 });
    expect(loss(moderate).loss).toBeCloseTo(loss(relevant).loss, 14);
  });
});

describe("createSupConLoss gradient", () => {
  // Four queries and six products covering every cell kind, including a query without positives
  // and a product column without positives.
  const gradeRows = [
    [R, I, M, U, R, I],
    [U, R, R, M, I, U],
    [I, U, I, M, U, I],
    [M, M, U, I, R, U],
  ];
  const cases: [string, SupConLossOptions][] = [
    ["moderate positive", { moderateAs: "positive", moderateWeight: 0.5 }],
    ["moderate ignored", { moderateAs: "ignore" }],
    ["moderate negative", { moderateAs: "negative" }],
    ["symmetric", { symmetric: true, moderateWeight: 0.3 }],
    ["symmetric moderate ignored", { symmetric: true, moderateAs: "ignore" }],
  ];

  for (const [name, options] of cases) {
    for (const temperature of [0.05, 0.5]) {
      it(`matches finite differences, ${name}, τ ${temperature}`, () => {
        const input = randomBatch(21, 5, gradeRows);
        const check = checkBatchLossGradient(createSupConLoss64({ ...options, temperature }), input);
        // Central differences with h = 1e-6 in float64 are good to about 1e-8 here, and the gradients
        // are of order 1 to 20.
        expect(check.queries.maxAbsoluteError).toBeLessThan(1e-6);
        expect(check.products.maxAbsoluteError).toBeLessThan(1e-6);
        expect(check.queries.maxNumericMagnitude).toBeGreaterThan(0.01);
      });
    }
  }
});

describe("createSupConLoss options", () => {
  it("rejects a non-positive temperature", () => {
    expect(() => createSupConLoss({ temperature: 0 })).toThrow(/temperature: expected a finite number > 0, received 0/);
  });

  it("rejects a moderate weight above 1", () => {
    expect(() => createSupConLoss({ moderateWeight: 1.5 })).toThrow(/moderateWeight/);
  });

  it("rejects an unknown moderate role", () => {
    expect(() => createSupConLoss({ moderateAs: "skip" as "ignore" })).toThrow(/moderateAs: expected one of/);
  });

  it("rejects grades of the wrong length", () => {
    const input = { ...toFloat32(handBatch()), grades: new Int8Array(5) };
    expect(() => createSupConLoss()(input)).toThrow(/grades has length 5, expected numQueries × numProducts = 6/);
  });

  it("rejects an unknown grade code", () => {
    const input = { ...toFloat32(handBatch()), grades: new Int8Array([R, I, 3, U, R, R]) };
    expect(() => createSupConLoss()(input)).toThrow(/grades\[0, 2\] is 3/);
  });

  it("rejects a non-finite embedding", () => {
    const input = toFloat32(handBatch());
    input.products[3] = Number.NaN;
    expect(() => createSupConLoss()(input)).toThrow(/products\[1, 1\] is NaN/);
  });
});
