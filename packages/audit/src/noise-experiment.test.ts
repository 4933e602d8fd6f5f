import { GRADES, type Judgment } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { runNoiseExperiment } from "./noise-experiment.js";

// 60 queries with 6 products each and heavy traffic, so most pairs have enough evidence.
const judgments: Judgment[] = [];
for (let q = 0; q < 60; q++) {
  for (let p = 0; p < 6; p++) judgments.push({ queryId: `q${q}`, productId: `p${p}`, grade: GRADES[(q + p) % 3]!, rawLabel: "" });
}

describe("runNoiseExperiment", async () => {
  const result = await runNoiseExperiment({ judgments, seed: 1, judgeAccuracy: 1, simulation: { meanClicksPerQuery: 400, queryFrequencyExponent: 0, attractivenessNoise: 0.2 } });
  const scores = result.report.experiment!;

  it("flips 10% of pairs", () => {
    expect(result.flippedCount).toBe(36);
  });

  it("finds flipped pairs with precision above 0.7", () => {
    expect(scores.precision).toBeGreaterThan(0.7);
  });

  it("finds a fifth of flipped pairs", () => {
    // Only grade 0 labelled too low and grade 2 labelled too high can be flagged, about 2/3 of flips.
    expect(scores.recall).toBeGreaterThan(0.2);
  });

  it("removes label errors with a perfect judge", () => {
    expect(scores.labelErrorsAfter).toBeLessThan(scores.labelErrorsBefore);
  });
});
