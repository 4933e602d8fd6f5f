import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { evaluateJudge, formatJudgeEvaluation } from "./evaluate-judge.js";
import { type JudgeResult, pairKey } from "./judge.js";

function graded(queryId: string, grade: Grade): JudgeResult {
  return { queryId, productId: "p", grade, confidence: 1, judgeId: "test", guidelineVersion: "v" };
}

// Truth 0, 0, 1, 2 against judged 0, 1, 1, 2, plus one failed pair and one pair without truth.
// Confusion rows (truth) [1 1 0], [0 1 0], [0 0 1]; n = 4, row sums 2 1 1, column sums 1 2 1.
// Quadratic weights (i − j)² / 4: observed Σ w·O = 0.25; expected Σ w·E = 0.75 + 0.125 + 0.375 = 1.25.
// kappa = 1 − 0.25 / 1.25 = 0.8.
const truth = new Map<string, Grade>([
  [pairKey("a", "p"), GRADE_IRRELEVANT],
  [pairKey("b", "p"), GRADE_IRRELEVANT],
  [pairKey("c", "p"), GRADE_MODERATE],
  [pairKey("d", "p"), GRADE_RELEVANT],
  [pairKey("e", "p"), GRADE_RELEVANT],
]);
const results: JudgeResult[] = [
  graded("a", GRADE_IRRELEVANT),
  graded("b", GRADE_MODERATE),
  graded("c", GRADE_MODERATE),
  graded("d", GRADE_RELEVANT),
  { queryId: "e", productId: "p", error: { code: "invalid_json", message: "bad" }, judgeId: "test" },
  graded("unknown", GRADE_RELEVANT),
];
const report = evaluateJudge(results, truth);

describe("evaluateJudge", () => {
  it("accuracy counts graded pairs", () => {
    expect(report.accuracy).toBeCloseTo(0.75, 12);
  });

  it("within-one accuracy", () => {
    expect(report.withinOneAccuracy).toBeCloseTo(1, 12);
  });

  it("quadratic kappa by hand", () => {
    expect(report.quadraticKappa).toBeCloseTo(0.8, 12);
  });

  it("coverage counts errors", () => {
    expect(report.pairs).toBe(5);
    expect(report.graded).toBe(4);
    expect(report.coverage).toBeCloseTo(0.8, 12);
    expect(report.errorCodes).toEqual({ invalid_json: 1 });
    expect(report.withoutTruth).toBe(1);
  });

  it("confusion matrix rows are truth", () => {
    expect(report.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it("per-grade precision and recall", () => {
    const [irrelevant, moderate, relevant] = report.perGrade;
    expect(irrelevant).toEqual({ grade: GRADE_IRRELEVANT, precision: 1, recall: 0.5, support: 2 });
    expect(moderate).toEqual({ grade: GRADE_MODERATE, precision: 0.5, recall: 1, support: 1 });
    expect(relevant).toEqual({ grade: GRADE_RELEVANT, precision: 1, recall: 1, support: 1 });
  });

  it("majority baseline has kappa 0", () => {
    expect(report.majorityBaseline.grade).toBe(GRADE_IRRELEVANT);
    expect(report.majorityBaseline.accuracy).toBeCloseTo(0.5, 12);
    expect(report.majorityBaseline.quadraticKappa).toBeCloseTo(0, 12);
  });

  it("kappa penalises far errors more", () => {
    // One 0 → 2 error against one 0 → 1 error on otherwise equal data.
    const base = [graded("a", GRADE_IRRELEVANT), graded("c", GRADE_MODERATE), graded("d", GRADE_RELEVANT)];
    const near = evaluateJudge([...base, graded("b", GRADE_MODERATE)], truth);
    const far = evaluateJudge([...base, graded("b", GRADE_RELEVANT)], truth);
    expect(far.quadraticKappa).toBeLessThan(near.quadraticKappa);
  });

  it("formats a Markdown table", () => {
    const text = formatJudgeEvaluation(report);
    expect(text).toContain("| quadratic-weighted kappa | 0.800 | 0.000 |");
    expect(text).toContain("| coverage | 0.800 (4 of 5) | 1.000 |");
    expect(text).toContain("| errors | invalid_json: 1 | – |");
    expect(text).toContain("| 0 irrelevant | 1 | 1 | 0 |");
  });
});
