import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { selectHardPairs } from "./hard-pairs.js";

const neighbours = [
  {
    queryId: "q1",
    productIds: ["a", "b", "c", "d", "e", "f"],
    scores: [0.9, 0.85, 0.8, 0.7, 0.5, 0.2],
  },
];
const judged = new Map<string, Map<string, Grade>>([
  [
    "q1",
    new Map<string, Grade>([
      ["b", GRADE_MODERATE],
      ["f", GRADE_RELEVANT],
      ["z", GRADE_RELEVANT],
      ["y", GRADE_IRRELEVANT],
    ]),
  ],
]);

describe("selectHardPairs", () => {
  it("keeps the rank window", () => {
    const result = selectHardPairs(neighbours, { judged, minRank: 3, maxRank: 5 });
    expect(result.candidates.map((c) => c.productId)).toEqual(["c", "d", "e"]);
  });

  it("never proposes judged pairs", () => {
    const result = selectHardPairs(neighbours, { judged, minRank: 1, maxRank: 6 });
    expect(result.candidates.map((c) => c.productId)).toEqual(["a", "c", "d", "e"]);
    expect(result.counts.alreadyJudged).toBe(2);
  });

  it("applies the score margin", () => {
    const result = selectHardPairs(neighbours, { judged, minRank: 1, maxRank: 6, margin: 0.25 });
    expect(result.candidates.map((c) => c.productId)).toEqual(["a", "c", "d"]);
    expect(result.counts.outsideMargin).toBe(1);
  });

  it("caps candidates per query", () => {
    const result = selectHardPairs(neighbours, { judged, minRank: 1, maxRank: 6, maxCandidatesPerQuery: 2 });
    expect(result.candidates.map((c) => c.rank)).toEqual([1, 3]);
    expect(result.counts.overQueryCap).toBe(2);
  });

  it("finds hard positives below the window or missing", () => {
    const result = selectHardPairs(neighbours, { judged, minRank: 3, maxRank: 5 });
    const found = result.hardPositives.map((p) => [p.productId, p.rank]);
    expect(found).toEqual([
      ["f", 6],
      ["z", null],
    ]);
  });

  it("counts every neighbour once", () => {
    const { counts } = selectHardPairs(neighbours, { judged, minRank: 3, maxRank: 5 });
    expect(counts.neighbours).toBe(6);
    expect(counts.alreadyJudged + counts.outsideRankWindow + counts.outsideMargin + counts.overQueryCap + counts.candidates).toBe(6);
  });

  it("rejects an inverted window", () => {
    expect(() => selectHardPairs(neighbours, { judged, minRank: 5, maxRank: 2 })).toThrow(/minRank <= maxRank/);
  });
});
