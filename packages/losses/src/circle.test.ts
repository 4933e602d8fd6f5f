import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import {
  createMultiClassCircleLoss,
  createMultiClassCircleLoss64,
  type MultiClassCircleLossOptions,
  resolveCircleBoundaries,
} from "./circle.js";
import { checkBatchLossGradient } from "./test/gradient-check.js";
import { randomBatch } from "./test/random-batch.js";
import { type BatchLossInput64, UNJUDGED } from "./types.js";

const R = GRADE_RELEVANT;
const M = GRADE_MODERATE;
const I = GRADE_IRRELEVANT;
const U = UNJUDGED;

function cosineMatrix(input: BatchLossInput64): Float64Array {
  const { queries, products, numQueries, numProducts, dim } = input;
  const cosines = new Float64Array(numQueries * numProducts); // [Q, P]
  for (let i = 0; i < numQueries; i++) {
    for (let j = 0; j < numProducts; j++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += queries[i * dim + d]! * products[j * dim + d]!;
      cosines[i * numProducts + j] = dot;
    }
  }
  return cosines;
}

/**
 * Computes the original binary circle loss of one anchor, in the pair-wise form
 * log(1 + Σ_n Σ_p exp(γ(α_n(s_n − Δ_n) − α_p(s_p − Δ_p)))), with O_p = 1 + m, O_n = −m,
 * Δ_p = 1 − m, Δ_n = m.
 */
function originalCircleLoss(positives: number[], negatives: number[], scale: number, margin: number): number {
  let sum = 0;
  for (const sn of negatives) {
    for (const sp of positives) {
      const alphaN = Math.max(sn + margin, 0);
      const alphaP = Math.max(1 + margin - sp, 0);
      sum += Math.exp(scale * (alphaN * (sn - margin) - alphaP * (sp - (1 - margin))));
    }
  }
  return Math.log(1 + sum);
}

/**
 * Computes the multi-class loss in the pair-wise form, with α computed from `alphaCosines` instead of the
 * current cosines. Passing the cosines of a fixed point freezes α there.
 */
function referenceLoss(input: BatchLossInput64, options: MultiClassCircleLossOptions, alphaCosines?: Float64Array): number {
  const { scale, ignoreUnjudged, boundaries } = resolveCircleBoundaries(options);
  const cosines = cosineMatrix(input);
  const alphaSource = alphaCosines ?? cosines;
  const { numQueries, numProducts, grades } = input;
  let total = 0;
  let terms = 0;
  for (let i = 0; i < numQueries; i++) {
    const gradeOf = (j: number): number => {
      const grade = grades[i * numProducts + j]!;
      if (grade !== UNJUDGED) return grade;
      return ignoreUnjudged ? -1 : I;
    };
    for (const b of boundaries) {
      if (b.weight === 0) continue;
      const positives: number[] = [];
      const negatives: number[] = [];
      for (let j = 0; j < numProducts; j++) {
        if (gradeOf(j) === b.high) positives.push(j);
        if (gradeOf(j) === b.low) negatives.push(j);
      }
      if (positives.length === 0 || negatives.length === 0) continue;
      let sum = 0;
      for (const n of negatives) {
        for (const p of positives) {
          const sn = cosines[i * numProducts + n]!;
          const sp = cosines[i * numProducts + p]!;
          const alphaN = Math.max(alphaSource[i * numProducts + n]! - b.negativeOptimum, 0);
          const alphaP = Math.max(b.positiveOptimum - alphaSource[i * numProducts + p]!, 0);
          sum += Math.exp(scale * (alphaN * (sn - b.negativeThreshold) - alphaP * (sp - b.positiveThreshold)));
        }
      }
      total += b.weight * Math.log(1 + sum);
      terms++;
    }
  }
  return terms === 0 ? 0 : total / terms;
}

describe("createMultiClassCircleLoss with two grades", () => {
  for (const [name, rows] of [
    ["relevant and irrelevant", [[R, I, R, I, I], [I, R, I, I, R], [R, R, I, I, I]]],
    ["moderate and irrelevant", [[M, I, M, I, I], [I, I, M, I, M], [M, M, M, I, I]]],
    ["relevant and moderate", [[R, M, M, M, M], [M, R, R, M, M], [R, M, R, M, M]]],
  ] as const) {
    it(`equals the original circle loss, ${name}`, () => {
      const input = randomBatch(3, 6, rows as unknown as number[][]);
      const cosines = cosineMatrix(input);
      let expected = 0;
      for (let i = 0; i < input.numQueries; i++) {
        const row = rows[i]!;
        const high = Math.max(...row);
        const low = Math.min(...row);
        const positives = row.flatMap((g, j) => (g === high ? [cosines[i * 5 + j]!] : []));
        const negatives = row.flatMap((g, j) => (g === low ? [cosines[i * 5 + j]!] : []));
        expected += originalCircleLoss(positives, negatives, 64, 0.25);
      }
      expected /= input.numQueries;
      const actual = createMultiClassCircleLoss64({ scale: 64, margin: 0.25 })(input).loss;
      expect(Math.abs(actual - expected)).toBeLessThan(1e-9 * Math.max(1, expected));
    });
  }

  it("handles large logits without overflow", () => {
    // Scale 1024 pushes the pair-wise exponents near 1e3, far past exp's float64 range.
    const input = randomBatch(4, 6, [[R, I, I, R]]);
    const result = createMultiClassCircleLoss64({ scale: 1024 })(input);
    expect(Number.isFinite(result.loss)).toBe(true);
    expect(result.gradQueries.every(Number.isFinite)).toBe(true);
  });
});

describe("createMultiClassCircleLoss with three grades", () => {
  const rows = [
    [R, M, I, U, M, R],
    [M, I, U, R, I, U],
    [R, R, U, U, M, U],
    [I, U, I, M, U, I],
  ];

  it("averages the terms that exist", () => {
    const input = randomBatch(5, 6, rows);
    const options: MultiClassCircleLossOptions = { scale: 32, margin: 0.2 };
    expect(createMultiClassCircleLoss64(options)(input).loss).toBeCloseTo(referenceLoss(input, options), 9);
  });

  it("applies the adaptive margin", () => {
    const input = randomBatch(5, 6, rows);
    const options: MultiClassCircleLossOptions = { margin: 0.15, adaptiveMargin: true };
    const relevantIrrelevant = resolveCircleBoundaries(options).boundaries[2]!;
    expect(relevantIrrelevant.negativeThreshold).toBeCloseTo(0.3, 12);
    expect(createMultiClassCircleLoss64(options)(input).loss).toBeCloseTo(referenceLoss(input, options), 9);
  });

  it("applies per-boundary weights and thresholds", () => {
    const input = randomBatch(5, 6, rows);
    const options: MultiClassCircleLossOptions = {
      scale: 16,
      boundaries: {
        relevantModerate: { weight: 0.5, positiveOptimum: 1.2, negativeOptimum: 0.3, positiveThreshold: 0.8, negativeThreshold: 0.6 },
        moderateIrrelevant: { margin: 0.1, weight: 2 },
        relevantIrrelevant: { weight: 0 },
      },
    };
    expect(createMultiClassCircleLoss64(options)(input).loss).toBeCloseTo(referenceLoss(input, options), 9);
  });

  it("ignores unjudged cells on request", () => {
    const input = randomBatch(5, 6, rows);
    const options: MultiClassCircleLossOptions = { scale: 32, unjudgedAs: "ignore" };
    expect(createMultiClassCircleLoss64(options)(input).loss).toBeCloseTo(referenceLoss(input, options), 9);
  });
});

describe("createMultiClassCircleLoss missing grades", () => {
  it("query with one grade adds nothing", () => {
    const both = randomBatch(6, 4, [
      [R, I, M],
      [R, R, R],
    ]);
    const alone: BatchLossInput64 = { ...both, queries: both.queries.slice(0, 4), numQueries: 1, grades: both.grades.slice(0, 3) };
    const loss = createMultiClassCircleLoss64();
    const result = loss(both);
    expect(result.loss).toBeCloseTo(loss(alone).loss, 12);
    for (let d = 4; d < 8; d++) expect(result.gradQueries[d]).toBe(0);
  });

  it("query without moderate gets one term", () => {
    const input = randomBatch(6, 4, [[R, I, R, I]]);
    const cosines = cosineMatrix(input);
    const expected = originalCircleLoss([cosines[0]!, cosines[2]!], [cosines[1]!, cosines[3]!], 64, 0.25);
    expect(createMultiClassCircleLoss64()(input).loss).toBeCloseTo(expected, 9);
  });

  it("unjudged only query adds nothing when ignored", () => {
    const input = randomBatch(6, 4, [[R, U, U]]);
    const result = createMultiClassCircleLoss64({ unjudgedAs: "ignore" })(input);
    expect(result.loss).toBe(0);
    expect(result.gradQueries.every((g) => g === 0)).toBe(true);
  });

  it("unjudged only query is a term by default", () => {
    const input = randomBatch(6, 4, [[R, U, U]]);
    expect(createMultiClassCircleLoss64()(input).loss).toBeGreaterThan(0);
  });
});

describe("createMultiClassCircleLoss gradient", () => {
  const rows = [
    [R, M, I, U, M, R],
    [M, I, U, R, I, U],
    [R, R, U, U, M, U],
    [I, U, I, M, U, I],
  ];
  const cases: [string, MultiClassCircleLossOptions][] = [
    ["defaults", {}],
    ["scale 16 adaptive margin", { scale: 16, adaptiveMargin: true }],
    ["unjudged ignored", { scale: 32, unjudgedAs: "ignore" }],
    ["per-boundary settings", { boundaries: { relevantModerate: { weight: 0.5, positiveOptimum: 1.1 }, relevantIrrelevant: { margin: 0.4 } } }],
  ];

  for (const [name, options] of cases) {
    it(`matches finite differences with α frozen, ${name}`, () => {
      const input = randomBatch(31, 5, rows);
      const frozen = cosineMatrix(input);
      const check = checkBatchLossGradient(createMultiClassCircleLoss64(options), input, {
        lossAt: (perturbed) => referenceLoss(perturbed, options, frozen),
      });
      // γ up to 64 makes the third derivative large, so the central-difference error is allowed
      // 1e-6 relative to the largest gradient entry.
      const tolerance = 1e-6 * Math.max(1, check.queries.maxNumericMagnitude, check.products.maxNumericMagnitude);
      expect(check.queries.maxAbsoluteError).toBeLessThan(tolerance);
      expect(check.products.maxAbsoluteError).toBeLessThan(tolerance);
      expect(check.queries.maxNumericMagnitude).toBeGreaterThan(0.01);
    });
  }

  it("differs from the gradient with α varying", () => {
    // Guards the frozen reference: letting α follow the cosines changes the numeric gradient.
    const input = randomBatch(31, 5, rows);
    const check = checkBatchLossGradient(createMultiClassCircleLoss64({ scale: 16 }), input);
    expect(check.queries.maxAbsoluteError).toBeGreaterThan(1e-3);
  });
});

describe("createMultiClassCircleLoss options", () => {
  it("rejects a non-positive scale", () => {
    expect(() => createMultiClassCircleLoss({ scale: -1 })).toThrow(/scale: expected a finite number > 0, received -1/);
  });

  it("rejects a negative boundary weight", () => {
    expect(() => createMultiClassCircleLoss({ boundaries: { moderateIrrelevant: { weight: -1 } } })).toThrow(
      /boundaries\.moderateIrrelevant\.weight/,
    );
  });

  it("float32 agrees with float64 within 1e-4", () => {
    const input = randomBatch(41, 8, [
      [R, M, I, U],
      [I, R, M, U],
    ]);
    const expected = createMultiClassCircleLoss64()(input);
    const actual = createMultiClassCircleLoss()({ ...input, queries: new Float32Array(input.queries), products: new Float32Array(input.products) });
    // Float32 embeddings shift the cosines by about 1e-7, and γ = 64 amplifies that.
    expect(Math.abs(actual.loss - expected.loss)).toBeLessThan(1e-4 * Math.max(1, expected.loss));
  });
});
