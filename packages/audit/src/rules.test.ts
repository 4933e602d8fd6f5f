import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, type Judgment } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import type { CorrectedEngagement } from "./bias-correction.js";
import { findDisagreements } from "./rules.js";

// Ten background pairs per grade with 100 expected examinations each and typical rates, plus probes.
const CLICK_RATE: Record<Grade, number> = { [GRADE_IRRELEVANT]: 0.05, [GRADE_MODERATE]: 0.2, [GRADE_RELEVANT]: 0.5 };
const CART_RATE: Record<Grade, number> = { [GRADE_IRRELEVANT]: 0.0, [GRADE_MODERATE]: 0.02, [GRADE_RELEVANT]: 0.1 };

function pair(id: string, grade: Grade, examinations: number, clickRate: number, addToCarts: number): [Judgment, CorrectedEngagement] {
  return [
    { queryId: "q", productId: id, grade, rawLabel: "" },
    {
      queryId: "q",
      productId: id,
      impressions: examinations * 2,
      clicks: Math.round(clickRate * examinations),
      addToCarts,
      purchases: 0,
      expectedExaminations: examinations,
      clickRate,
      addToCartRate: addToCarts / examinations,
      purchaseRate: 0,
    },
  ];
}

const pairs: [Judgment, CorrectedEngagement][] = [];
for (const grade of [GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT] as const) {
  for (let i = 0; i < 10; i++) pairs.push(pair(`bg${grade}-${i}`, grade, 100, CLICK_RATE[grade], CART_RATE[grade] * 100));
}
pairs.push(pair("cart-heavy", GRADE_IRRELEVANT, 100, 0.3, 12));
pairs.push(pair("never-clicked", GRADE_RELEVANT, 200, 0, 0));
pairs.push(pair("thin-never-clicked", GRADE_RELEVANT, 5, 0, 0));
pairs.push(pair("one-cart", GRADE_IRRELEVANT, 100, 0.05, 1));
const judgments = pairs.map(([judgment]) => judgment);
const engagement = pairs.map(([, entry]) => entry);

describe("findDisagreements", () => {
  const { findings, skipped } = findDisagreements(judgments, engagement);
  const byProduct = new Map(findings.map((finding) => [finding.productId, finding]));

  it("flags grade 0 with strong add-to-cart evidence", () => {
    expect(byProduct.get("cart-heavy")?.rule).toBe("under_graded");
  });

  it("gives the under-graded pair high confidence", () => {
    expect(byProduct.get("cart-heavy")!.confidence).toBeGreaterThan(0.99);
  });

  it("flags grade 2 examined but never clicked", () => {
    expect(byProduct.get("never-clicked")?.rule).toBe("over_graded");
  });

  it("suggests the nearest grade for a never-clicked grade 2", () => {
    // Prior Beta(20 * 0.415, 20 * 0.585) plus 0 of 200 gives a posterior mean near 8.3 / 220 = 0.038,
    // nearer grade 0's prior mean (0.05 pooled with the cart-heavy pair) than grade 1's (0.2).
    expect(byProduct.get("never-clicked")!.suggestedGrade).toBe(GRADE_IRRELEVANT);
  });

  it("skips pairs below the evidence minimum", () => {
    expect(byProduct.has("thin-never-clicked")).toBe(false);
  });

  it("counts skipped thin pairs", () => {
    expect(skipped.insufficientEvidence).toBe(1);
  });

  it("needs more than one conversion", () => {
    expect(byProduct.has("one-cart")).toBe(false);
  });

  it("leaves background pairs alone", () => {
    expect(findings.length).toBe(2);
  });

  it("keeps findings at or above minConfidence", () => {
    expect(findings.every((finding) => finding.confidence >= 0.9)).toBe(true);
  });

  it("drops findings below minConfidence", () => {
    const strict = findDisagreements(judgments, engagement, { minConfidence: 1.5 });
    expect(strict.findings.length).toBe(0);
  });

  it("respects the evidence threshold", () => {
    const loose = findDisagreements(judgments, engagement, { minExpectedExaminations: 1 });
    expect(loose.findings.some((finding) => finding.productId === "thin-never-clicked")).toBe(false);
  });

  it("pools grade priors", () => {
    const { priors } = findDisagreements(judgments, engagement);
    // Grade 2 pools ten pairs at 0.5 over 100 examinations, two at 0 over 200 and 5: 500 / 1205.
    expect(priors.click[GRADE_RELEVANT]).toBeCloseTo(500 / 1205, 12);
  });
});
