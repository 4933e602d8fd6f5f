import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { adjacentSeparation, countWins, gradeQuantiles } from "./separation.js";

const R = GRADE_RELEVANT;
const M = GRADE_MODERATE;
const I = GRADE_IRRELEVANT;

describe("gradeQuantiles", () => {
  // Grade 0 has 0.1, 0.2, 0.3; grade 1 has 0.5; grade 2 has 0.9.
  const summary = gradeQuantiles([0.1, 0.3, 0.2, 0.9, 0.5], [I, I, I, R, M], [0.25, 0.5]);

  it("interpolates between ranks", () => {
    // Position 0.25 · 2 = 0.5 lies halfway between 0.1 and 0.2.
    expect(summary[I].quantiles?.[0]).toBeCloseTo(0.15, 12);
    expect(summary[I].quantiles?.[1]).toBeCloseTo(0.2, 12);
  });

  it("reports count and mean", () => {
    expect(summary[I].count).toBe(3);
    expect(summary[I].mean).toBeCloseTo(0.2, 12);
  });

  it("handles a single score", () => {
    expect(summary[M].quantiles).toEqual([0.5, 0.5]);
  });

  it("returns null for an absent grade", () => {
    const partial = gradeQuantiles([0.1], [I]);
    expect(partial[R]).toEqual({ count: 0, mean: null, quantiles: null });
  });

  it("rejects mismatched lengths", () => {
    expect(() => gradeQuantiles([0.1, 0.2], [I])).toThrow(/2 scores but 1 grades/);
  });
});

describe("countWins", () => {
  it("counts ties as half", () => {
    // 0.9 beats 0.5 (1), 0.5 ties 0.5 (1/2).
    expect(countWins([0.9, 0.5], [0.5])).toEqual({ wins: 1.5, pairs: 2 });
  });

  it("matches pairwise counting", () => {
    // Scores rounded to one decimal place produce many ties.
    const rng = new Rng(3);
    const higher = Array.from({ length: 40 }, () => Math.round(rng.next() * 10) / 10);
    const lower = Array.from({ length: 30 }, () => Math.round(rng.next() * 10) / 10);
    let expected = 0;
    for (const h of higher) {
      for (const l of lower) {
        if (h > l) expected += 1;
        if (h === l) expected += 0.5;
      }
    }
    expect(countWins(higher, lower).wins).toBe(expected);
  });

  it("rejects NaN", () => {
    expect(() => countWins([Number.NaN], [0])).toThrow(/NaN at position 0/);
  });
});

describe("adjacentSeparation", () => {
  // q1, 2 over 1: {0.9, 0.5} vs {0.5} → 1.5 / 2 = 0.75. 1 over 0: {0.5} vs {0.1} → 1.
  // q2, 2 over 1: {0.2} vs {0.4} → 0. 1 over 0: {0.4} vs {0.3} → 1.
  // q3 has a single grade-0 product (0.7), which only enters the global comparison.
  const perQuery = new Map([
    ["q1", { scores: [0.9, 0.5, 0.5, 0.1], grades: [R, M, R, I] as Grade[] }],
    ["q2", { scores: [0.2, 0.4, 0.3], grades: [R, M, I] as Grade[] }],
    ["q3", { scores: [0.7], grades: [I] as Grade[] }],
  ]);
  const [relevantOverModerate, moderateOverIrrelevant] = adjacentSeparation(perQuery);

  it("orders the grade pairs", () => {
    expect([relevantOverModerate?.higherGrade, relevantOverModerate?.lowerGrade]).toEqual([R, M]);
    expect([moderateOverIrrelevant?.higherGrade, moderateOverIrrelevant?.lowerGrade]).toEqual([M, I]);
  });

  it("averages within queries", () => {
    expect(relevantOverModerate?.withinQueryMean).toBeCloseTo(0.375, 12);
    expect(relevantOverModerate?.queriesWithBothGrades).toBe(2);
  });

  it("pools within-query pairs", () => {
    // (1.5 + 0) / (2 + 1).
    expect(relevantOverModerate?.withinQueryPooled).toBeCloseTo(0.5, 12);
    expect(relevantOverModerate?.withinQueryPairs).toBe(3);
  });

  it("pools scores globally", () => {
    // {0.9, 0.5, 0.2} vs {0.5, 0.4}: 2 + 1.5 + 0 = 3.5 of 6 pairs.
    expect(relevantOverModerate?.global).toBeCloseTo(3.5 / 6, 12);
    expect(relevantOverModerate?.globalPairs).toBe(6);
  });

  it("separates within but not across queries", () => {
    // {0.5, 0.4} vs {0.1, 0.3, 0.7}: 2 + 2 = 4 of 6, while every query alone separates perfectly.
    expect(moderateOverIrrelevant?.withinQueryMean).toBe(1);
    expect(moderateOverIrrelevant?.global).toBeCloseTo(4 / 6, 12);
  });

  it("returns null without pairs", () => {
    const [only] = adjacentSeparation(new Map([["q", { scores: [0.3], grades: [R] as Grade[] }]]));
    expect(only?.withinQueryMean).toBeNull();
    expect(only?.global).toBeNull();
  });
});
