import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, type Judgment } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { evaluateRun } from "./evaluate-run.js";
import { qrelsFromJudgments } from "./qrels.js";

// q1 is the fixture of ranking-metrics.test.ts: NDCG@3 0.350985, recall@3 0.25, precision@3 1/3,
// MRR@3 0.5, AP 0.4. q2 has no relevant product. q4 is judged but missing from the run, so every
// metric is 0 there. q3 is in the run but unjudged.
const qrels = new Map<string, Map<string, Grade>>([
  [
    "q1",
    new Map<string, Grade>([
      ["a", GRADE_RELEVANT],
      ["b", GRADE_MODERATE],
      ["c", GRADE_IRRELEVANT],
      ["d", GRADE_RELEVANT],
      ["e", GRADE_MODERATE],
    ]),
  ],
  ["q2", new Map<string, Grade>([["f", GRADE_IRRELEVANT]])],
  ["q4", new Map<string, Grade>([["g", GRADE_RELEVANT]])],
]);
const run = new Map<string, string[]>([
  ["q1", ["c", "a", "x", "b", "d"]],
  ["q2", ["f", "a"]],
  ["q3", ["a"]],
]);

describe("evaluateRun", () => {
  const result = evaluateRun(run, qrels, { ks: [3] });

  it("names metrics by cutoff", () => {
    expect(Object.keys(result.means).sort()).toEqual(["map", "mrr@3", "ndcg@3", "precision@3", "recall@3"]);
  });

  it("stores per-query values", () => {
    expect(result.perQuery["ndcg@3"]?.get("q1")).toBeCloseTo(0.350985, 6);
  });

  it("stores null for undefined metrics", () => {
    expect(result.perQuery["recall@3"]?.get("q2")).toBeNull();
  });

  it("excludes null queries from means", () => {
    // (0.350985 + 0) / 2, q2 left out.
    expect(result.means["ndcg@3"]).toBeCloseTo(0.175493, 6);
    expect(result.counts.excluded["ndcg@3"]).toBe(1);
  });

  it("keeps precision defined for every query", () => {
    // (1/3 + 0 + 0) / 3.
    expect(result.means["precision@3"]).toBeCloseTo(1 / 9, 12);
    expect(result.counts.excluded["precision@3"]).toBe(0);
  });

  it("averages MRR and MAP over defined queries", () => {
    expect(result.means["mrr@3"]).toBe(0.25);
    expect(result.means.map).toBeCloseTo(0.2, 12);
  });

  it("counts missing and unjudged queries", () => {
    expect(result.counts.queries).toBe(3);
    expect(result.counts.judgedQueriesMissingFromRun).toBe(1);
    expect(result.counts.runQueriesWithoutJudgments).toBe(1);
  });

  it("returns null means when no query qualifies", () => {
    const onlyIrrelevant = new Map([["q2", qrels.get("q2")!]]);
    const empty = evaluateRun(run, onlyIrrelevant, { ks: [10] });
    expect(empty.means["ndcg@10"]).toBeNull();
  });

  it("applies minGrade to recall", () => {
    const strict = evaluateRun(run, qrels, { ks: [3], minGrade: GRADE_RELEVANT });
    // q1: a of {a, d} → 0.5; q4: 0; q2 excluded.
    expect(strict.means["recall@3"]).toBe(0.25);
  });

  it("reads raw labels for ESCI gains", () => {
    const judgments: Judgment[] = [
      { queryId: "q", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "E" },
      { queryId: "q", productId: "p2", grade: GRADE_MODERATE, rawLabel: "S" },
    ];
    const esci = qrelsFromJudgments(judgments);
    // DCG = 0.1 + 1 · 0.630930; IDCG = 1 + 0.1 · 0.630930.
    const value = evaluateRun(new Map([["q", ["p2", "p1"]]]), esci.qrels, {
      ks: [2],
      gains: "esci",
      rawLabels: esci.rawLabels,
    });
    expect(value.means["ndcg@2"]).toBeCloseTo(0.730930 / 1.063093, 6);
  });

  it("rejects a repeated product", () => {
    const repeated = new Map([["q1", ["a", "a"]]]);
    expect(() => evaluateRun(repeated, qrels, { ks: [3] })).toThrow(/query "q1" lists product "a" twice/);
  });

  it("rejects empty ks", () => {
    expect(() => evaluateRun(run, qrels, { ks: [] })).toThrow(/at least one cutoff/);
  });
});

describe("qrelsFromJudgments", () => {
  it("rejects a duplicate pair", () => {
    const judgment: Judgment = { queryId: "q", productId: "p", grade: GRADE_RELEVANT, rawLabel: "3" };
    expect(() => qrelsFromJudgments([judgment, judgment])).toThrow(/two judgments of product "p"/);
  });
});
