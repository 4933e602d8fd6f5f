import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, GRADES, type Judgment } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { pairKey } from "./engagement.js";
import { correctByPositionBasedModel, fitPositionBasedModel } from "./position-based-model.js";
import { simulateEngagement } from "./simulate-engagement.js";

// 30 queries of 5 products each; strong ranking noise spreads every pair over several positions,
// which is what makes θ and γ separable.
const judgments: Judgment[] = [];
for (let q = 0; q < 30; q++) {
  for (let p = 0; p < 5; p++) judgments.push({ queryId: `q${q}`, productId: `p${p}`, grade: GRADES[(q + p) % 3]!, rawLabel: "" });
}
const simulation = simulateEngagement(judgments, {
  seed: 11,
  queryFrequencyExponent: 0,
  meanClicksPerQuery: 1500,
  rankingNoise: 5,
  pageSize: 5,
  clickProbability: { [GRADE_IRRELEVANT]: 0.1, [GRADE_MODERATE]: 0.3, [GRADE_RELEVANT]: 0.6 },
});
const aggregates = simulation.aggregates!;
const fit = fitPositionBasedModel(aggregates);

describe("fitPositionBasedModel", () => {
  it("converges", () => {
    expect(fit.converged).toBe(true);
  });

  it("recovers θ within 0.02", () => {
    for (let k = 0; k < 5; k++) {
      expect(Math.abs(fit.examination[k]! - simulation.examination[k]!), `position ${k + 1}`).toBeLessThan(0.02);
    }
  });

  // About 1,500 impressions and 700 expected examinations per pair give γ a standard error near 0.02,
  // so the worst of 150 pairs may sit three to four standard errors off.
  const errors = aggregates.map((aggregate, p) => Math.abs(fit.attractiveness[p]! - simulation.attractiveness.get(pairKey(aggregate.queryId, aggregate.productId))!));

  it("recovers γ within 0.02 on average", () => {
    expect(errors.reduce((sum, error) => sum + error, 0) / errors.length).toBeLessThan(0.02);
  });

  it("recovers every γ within 0.08", () => {
    expect(Math.max(...errors)).toBeLessThan(0.08);
  });

  it("corrects to γ", () => {
    const corrected = correctByPositionBasedModel(aggregates, fit);
    expect(corrected[3]!.clickRate).toBe(fit.attractiveness[3]);
  });
});
