import { GRADE_IRRELEVANT, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { blendCandidates, chooseDenseWeight, collectBlendCandidates, fuseRuns, minMaxScale, reciprocalRankFusion } from "./hybrid.js";
import type { SystemRun } from "./systems.js";

/** Builds a run over one query "q" whose scorer reads a fixed score table. */
function fixedRun(name: string, ranking: string[], scores: Record<string, number>, judged: string[]): SystemRun {
  return {
    name,
    rankings: new Map([["q", ranking]]),
    scoredRankings: new Map([["q", ranking.map((productId) => ({ productId, score: scores[productId]! }))]]),
    judgedScores: new Map([["q", new Map(judged.map((productId) => [productId, scores[productId]!]))]]),
    scoreProducts: async (_queryId, productIds) => productIds.map((productId) => scores[productId]!),
  };
}

// Dense scores p1 > p2 > p4 > p3 and lexical p3 > p2 > p4 > p1. Each top list contains two products.
const dense = fixedRun("dense", ["p1", "p2"], { p1: 0.9, p2: 0.5, p3: 0.1, p4: 0.3 }, ["p1", "p3", "p4"]);
const lexical = fixedRun("lexical", ["p3", "p2"], { p1: 0, p2: 2, p3: 4, p4: 1 }, ["p1", "p3", "p4"]);
const TOLERANCE_DIGITS = 12;

describe("reciprocalRankFusion", () => {
  it("sums 1/(k + rank) over lists", () => {
    const fused = reciprocalRankFusion([["a", "b", "c"], ["c", "a", "d"]], 60);
    expect(fused.map((item) => item.productId)).toEqual(["a", "c", "b", "d"]);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, TOLERANCE_DIGITS);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, TOLERANCE_DIGITS);
    expect(fused[3]!.score).toBeCloseTo(1 / 63, TOLERANCE_DIGITS);
  });

  it("uses the configured k", () => {
    const fused = reciprocalRankFusion([["a", "b"], ["b"]], 0);
    expect(fused.map((item) => item.score)).toEqual([1.5, 1]);
  });

  it("rejects a negative k", () => {
    expect(() => reciprocalRankFusion([["a"]], -1)).toThrow(/k must be a finite number >= 0/);
  });
});

describe("minMaxScale", () => {
  it("maps the range to 0..1", () => {
    const scale = minMaxScale([2, 4, 6]);
    expect([scale(2), scale(5), scale(6), scale(0)]).toEqual([0, 0.75, 1, -0.5]);
  });

  it("maps constant scores to 0", () => {
    expect(minMaxScale([3, 3])(3)).toBe(0);
  });
});

describe("weighted blend", () => {
  it("scores candidates missing from one list", async () => {
    const candidates = await collectBlendCandidates(dense, lexical, "q");
    expect(candidates.productIds).toEqual(["p1", "p2", "p3"]);
    expect(candidates.dense).toEqual([1, 0.5, 0]);
    expect(candidates.lexical).toEqual([0, 0.5, 1]);
  });

  it("ranks by the dense weight", async () => {
    const candidates = await collectBlendCandidates(dense, lexical, "q");
    expect(blendCandidates(candidates, 0.8).map((item) => item.productId)).toEqual(["p1", "p2", "p3"]);
    expect(blendCandidates(candidates, 0.2).map((item) => item.productId)).toEqual(["p3", "p2", "p1"]);
    expect(blendCandidates(candidates, 0.2)[0]!.score).toBeCloseTo(0.8, TOLERANCE_DIGITS);
  });

  it("breaks ties by product id", async () => {
    const candidates = await collectBlendCandidates(dense, lexical, "q");
    expect(blendCandidates(candidates, 0.5).map((item) => item.productId)).toEqual(["p1", "p2", "p3"]);
  });

  it("scales judged non-candidates alike", async () => {
    const fused = await fuseRuns(dense, lexical, { name: "hybrid", method: "weighted", denseWeight: 0.5, queryIds: ["q"], maxK: 10 });
    // p4: dense (0.3 − 0.1) / 0.8 = 0.25, lexical (1 − 0) / 4 = 0.25.
    expect(fused.judgedScores.get("q")!.get("p4")).toBeCloseTo(0.25, TOLERANCE_DIGITS);
  });

  it("rejects a weight above 1", async () => {
    const candidates = await collectBlendCandidates(dense, lexical, "q");
    expect(() => blendCandidates(candidates, 1.5)).toThrow(/in \[0, 1\]/);
  });
});

describe("fuseRuns with rrf", () => {
  it("gives judged products outside both lists 0", async () => {
    const fused = await fuseRuns(dense, lexical, { name: "rrf", method: "rrf", queryIds: ["q"], maxK: 10 });
    expect(fused.rankings.get("q")).toEqual(["p2", "p1", "p3"]);
    expect(fused.judgedScores.get("q")!.get("p4")).toBe(0);
  });
});

describe("chooseDenseWeight", () => {
  it("keeps the weight with the best dev ndcg@10", async () => {
    const devQrels = new Map([["q", new Map<string, Grade>([["p3", GRADE_RELEVANT], ["p1", GRADE_IRRELEVANT]])]]);
    const choice = await chooseDenseWeight(dense, lexical, devQrels, { grid: [1, 0.5, 0], maxK: 10 });
    expect(choice.denseWeight).toBe(0);
    // At weights 1 and 0.5 the relevant p3 is third: NDCG = (3 / log2 4) / 3 = 0.5.
    expect(choice.grid.map((point) => point.value)).toEqual([0.5, 0.5, 1]);
  });

  it("prefers the first grid weight on a tie", async () => {
    const devQrels = new Map([["q", new Map<string, Grade>([["p2", GRADE_RELEVANT]])]]);
    const choice = await chooseDenseWeight(dense, lexical, devQrels, { grid: [0.5, 0.8], maxK: 10 });
    expect(choice.denseWeight).toBe(0.5);
  });

  it("rejects empty dev qrels", async () => {
    await expect(chooseDenseWeight(dense, lexical, new Map(), { maxK: 10 })).rejects.toThrow(/dev qrels are empty/);
  });
});
