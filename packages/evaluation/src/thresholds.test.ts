import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { chooseThresholds, predictGrade, thresholdReport } from "./thresholds.js";

const R = GRADE_RELEVANT;
const M = GRADE_MODERATE;
const I = GRADE_IRRELEVANT;

describe("chooseThresholds", () => {
  it("places thresholds at gap midpoints", () => {
    const chosen = chooseThresholds([0.1, 0.2, 0.4, 0.5, 0.8, 0.9], [I, I, M, M, R, R]);
    expect(chosen.moderate).toBeCloseTo(0.3, 12);
    expect(chosen.relevant).toBeCloseTo(0.65, 12);
    expect(chosen.devBalancedAccuracy).toBe(1);
  });

  it("maximises balanced accuracy under overlap", () => {
    // Sorted: 0.1 (0), 0.3 (1), 0.4 (0), 0.5 (1), 0.6 (2). Moderate at 0.2 or 0.45 both reach
    // A = 0.5; relevant at 0.55 reaches B = 1. Balanced accuracy (1 + 0.5 + 1) / 3; the lower
    // moderate threshold wins the tie.
    const chosen = chooseThresholds([0.1, 0.4, 0.3, 0.5, 0.6], [I, I, M, M, R]);
    expect(chosen.moderate).toBeCloseTo(0.2, 12);
    expect(chosen.relevant).toBeCloseTo(0.55, 12);
    expect(chosen.devBalancedAccuracy).toBeCloseTo(2.5 / 3, 12);
  });

  it("keeps moderate at or below relevant", () => {
    // Grade 2 scores lowest. The best ordered pair predicts no grade 2 at all:
    // moderate 0.7, relevant +Infinity, recalls 1, 1, 0.
    const chosen = chooseThresholds([0.5, 0.9, 0.1], [I, M, R]);
    expect(chosen.moderate).toBeCloseTo(0.7, 12);
    expect(chosen.relevant).toBe(Number.POSITIVE_INFINITY);
    expect(chosen.devBalancedAccuracy).toBeCloseTo(2 / 3, 12);
  });

  it("groups tied scores", () => {
    // 0.5 is the score of one product of each of grades 0 and 1, so no threshold can split them.
    const chosen = chooseThresholds([0.5, 0.5, 0.9], [I, M, R]);
    expect(chosen.relevant).toBeCloseTo(0.7, 12);
    expect(chosen.devBalancedAccuracy).toBeCloseTo(2 / 3, 12);
  });

  it("rejects a missing grade", () => {
    expect(() => chooseThresholds([0.1, 0.9], [I, R])).toThrow(/grade 1 has none/);
  });
});

describe("thresholdReport", () => {
  // Thresholds 0.2 and 0.55 predict 0, 1, 1, 1, 2 for true grades 0, 0, 1, 1, 2.
  const report = thresholdReport({ moderate: 0.2, relevant: 0.55 }, [0.1, 0.4, 0.3, 0.5, 0.6], [I, I, M, M, R]);

  it("reports precision per grade", () => {
    expect(report.perGrade[I].precision).toBe(1);
    expect(report.perGrade[M].precision).toBeCloseTo(2 / 3, 12);
    expect(report.perGrade[R].precision).toBe(1);
  });

  it("reports recall per grade", () => {
    expect(report.perGrade[I].recall).toBe(0.5);
    expect(report.perGrade[M].recall).toBe(1);
    expect(report.perGrade[R].recall).toBe(1);
  });

  it("fills the confusion matrix", () => {
    expect(report.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [0, 0, 1],
    ]);
  });

  it("reports accuracy", () => {
    expect(report.accuracy).toBe(0.8);
    expect(report.balancedAccuracy).toBeCloseTo(2.5 / 3, 12);
  });

  it("returns null precision without predictions", () => {
    const none = thresholdReport({ moderate: 0.2, relevant: 5 }, [0.1, 0.9], [I, R]);
    expect(none.perGrade[R].precision).toBeNull();
    expect(none.perGrade[M].recall).toBeNull();
  });

  it("predicts at the threshold", () => {
    expect(predictGrade(0.55, { moderate: 0.2, relevant: 0.55 })).toBe(R);
  });

  it("rejects crossed thresholds", () => {
    expect(() => thresholdReport({ moderate: 0.6, relevant: 0.5 }, [0.1], [I])).toThrow(/moderate <= relevant/);
  });
});
