import { describe, expect, it } from "vitest";
import { correctByInversePropensity } from "./bias-correction.js";
import type { EngagementAggregate } from "./engagement.js";
import { tabulatedExamination } from "./examination.js";

function aggregate(positionCounts: [number, number, number][], addToCarts = 0): EngagementAggregate {
  const counts = new Map(positionCounts.map(([position, impressions, clicks]) => [position, { impressions, clicks }]));
  const impressions = positionCounts.reduce((sum, [, n]) => sum + n, 0);
  const clicks = positionCounts.reduce((sum, [, , c]) => sum + c, 0);
  const meanPosition = positionCounts.reduce((sum, [position, n]) => sum + position * n, 0) / impressions;
  return { queryId: "q", productId: "p", impressions, clicks, addToCarts, purchases: 0, meanPosition, positionCounts: counts, windowStart: "", windowEnd: "" };
}

describe("correctByInversePropensity", () => {
  // θ_1 = 1, θ_2 = 0.5. 10 impressions at position 1 with 3 clicks, 20 at position 2 with 2 clicks:
  // IPW rate = (3 / 1 + 2 / 0.5) / 30 = 7 / 30; expected examinations = 10 * 1 + 20 * 0.5 = 20.
  const examination = tabulatedExamination([1, 0.5]);
  const [corrected] = correctByInversePropensity([aggregate([[1, 10, 3], [2, 20, 2]], 4)], examination);

  it("weights clicks by inverse propensity", () => {
    expect(corrected!.clickRate).toBeCloseTo(7 / 30, 12);
  });

  it("sums expected examinations", () => {
    expect(corrected!.expectedExaminations).toBeCloseTo(20, 12);
  });

  it("divides add-to-carts by expected examinations", () => {
    expect(corrected!.addToCartRate).toBeCloseTo(4 / 20, 12);
  });

  it("uses the rounded mean position without position counts", () => {
    const totals = { ...aggregate([[2, 10, 2]]), positionCounts: undefined, meanPosition: 2.2 };
    const [result] = correctByInversePropensity([totals], examination);
    // All 10 impressions at position 2: (2 / 0.5) / 10 = 0.4.
    expect(result!.clickRate).toBeCloseTo(0.4, 12);
  });

  it("rejects a zero propensity", () => {
    expect(() => correctByInversePropensity([aggregate([[1, 5, 1]])], () => 0)).toThrow(/position 1 must be positive/);
  });
});
