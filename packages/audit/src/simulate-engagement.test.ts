import { GRADE_IRRELEVANT, GRADE_RELEVANT, type Grade, type Judgment } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { aggregateEvents } from "./aggregate-events.js";
import { pairKey } from "./engagement.js";
import { simulateEngagement } from "./simulate-engagement.js";

const judgments: Judgment[] = [];
for (let q = 0; q < 8; q++) {
  for (let p = 0; p < 4; p++) judgments.push({ queryId: `q${q}`, productId: `p${p}`, grade: p < 2 ? GRADE_RELEVANT : GRADE_IRRELEVANT, rawLabel: "" });
}

describe("simulateEngagement", () => {
  it("repeats for a seed", () => {
    const a = simulateEngagement(judgments, { seed: 3, output: "both" });
    const b = simulateEngagement(judgments, { seed: 3, output: "both" });
    expect(a.events).toEqual(b.events);
  });

  it("differs between seeds", () => {
    const a = simulateEngagement(judgments, { seed: 3 });
    const b = simulateEngagement(judgments, { seed: 4 });
    expect(a.aggregates).not.toEqual(b.aggregates);
  });

  it("aggregates its own events", () => {
    const { events, aggregates } = simulateEngagement(judgments, { seed: 5, output: "both" });
    const rebuilt = aggregateEvents(events!).map(({ windowStart, windowEnd, ...rest }) => rest);
    expect(rebuilt).toEqual(aggregates!.map(({ windowStart, windowEnd, ...rest }) => rest));
  });

  it("follows true grades over labels", () => {
    const trueGrades = new Map<string, Grade>(judgments.map((j) => [pairKey(j.queryId, j.productId), j.grade === GRADE_RELEVANT ? GRADE_IRRELEVANT : GRADE_RELEVANT]));
    const { aggregates } = simulateEngagement(judgments, { seed: 5, trueGrades, meanClicksPerQuery: 200 });
    const clicksOf = (grade: Grade) =>
      aggregates!.filter((a) => judgments.find((j) => j.queryId === a.queryId && j.productId === a.productId)!.grade === grade).reduce((sum, a) => sum + a.clicks, 0);
    expect(clicksOf(GRADE_IRRELEVANT)).toBeGreaterThan(clicksOf(GRADE_RELEVANT));
  });

  it("meets the click target within 25%", () => {
    // Ranking noise lowers realised clicks below the target, which assumes grade order.
    const { aggregates } = simulateEngagement(judgments, { seed: 9, meanClicksPerQuery: 100, queryFrequencyExponent: 0 });
    const clicks = aggregates!.reduce((sum, a) => sum + a.clicks, 0);
    expect(Math.abs(clicks / 8 - 100) / 100).toBeLessThan(0.25);
  });
});
