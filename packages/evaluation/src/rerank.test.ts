import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { rerankNdcg } from "./rerank.js";

// Judged a 2 (gain 3), b 0 (gain 0), c 1 (gain 1). Scores c 0.9, a 0.5, b 0.5, so a and b tie at
// ranks 2 and 3 and share the mean gain 1.5. Discounts: 1, 0.630930, 0.5.
//   DCG   = 1 + 1.5 · (0.630930 + 0.5) = 2.696395, IDCG = 3 + 1 · 0.630930 = 3.630930
//   DCG@2 = 1 + 1.5 · 0.630930        = 1.946395, IDCG@2 = 3.630930
const qrels = new Map<string, Map<string, Grade>>([
  [
    "q1",
    new Map<string, Grade>([
      ["a", GRADE_RELEVANT],
      ["b", GRADE_IRRELEVANT],
      ["c", GRADE_MODERATE],
    ]),
  ],
  ["q2", new Map<string, Grade>([["d", GRADE_IRRELEVANT]])],
]);
const scores = new Map([
  [
    "q1",
    new Map([
      ["a", 0.5],
      ["b", 0.5],
      ["c", 0.9],
      ["unjudged", 5],
    ]),
  ],
  ["q2", new Map([["d", 0.1]])],
]);

describe("rerankNdcg", () => {
  it("shares gain across tied scores", () => {
    expect(rerankNdcg(scores, qrels).perQuery.get("q1")).toBeCloseTo(0.742618, 6);
  });

  it("does not depend on tie order", () => {
    const swapped = new Map([...scores, ["q1", new Map([["b", 0.5], ["c", 0.9], ["a", 0.5]])]]);
    expect(rerankNdcg(swapped, qrels).perQuery.get("q1")).toBeCloseTo(0.742618, 6);
  });

  it("cuts a tied group at k", () => {
    expect(rerankNdcg(scores, qrels, 2).perQuery.get("q1")).toBeCloseTo(0.536060, 6);
  });

  it("excludes queries without relevant products", () => {
    const result = rerankNdcg(scores, qrels);
    expect(result.perQuery.get("q2")).toBeNull();
    expect(result.excluded).toBe(1);
    expect(result.mean).toBeCloseTo(0.742618, 6);
  });

  it("rejects a missing product score", () => {
    const partial = new Map([...scores, ["q1", new Map([["a", 0.5]])]]);
    expect(() => rerankNdcg(partial, qrels)).toThrow(/query "q1", product "b"/);
  });

  it("rejects a missing query", () => {
    expect(() => rerankNdcg(new Map([["q1", scores.get("q1")!]]), qrels)).toThrow(/judged query "q2"/);
  });
});
