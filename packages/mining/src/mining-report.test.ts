import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, type Product } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { type GradedCandidate, gradeCandidates, type PairJudge } from "./grade-candidates.js";
import { formatMiningReport, miningReport } from "./mining-report.js";

const counts = { queries: 1, neighbours: 4, alreadyJudged: 0, outsideRankWindow: 0, outsideMargin: 0, overQueryCap: 0, candidates: 4, hardPositives: 0 };

function candidate(rank: number, grade: Grade, score: number): GradedCandidate {
  return { queryId: "q", productId: `p${rank}`, rank, score, grade, confidence: 1, judgeId: "j", guidelineVersion: "v" };
}

describe("miningReport", () => {
  const graded = [candidate(3, GRADE_RELEVANT, 0.8), candidate(12, GRADE_MODERATE, 0.6), candidate(15, GRADE_IRRELEVANT, 0.5), candidate(60, GRADE_IRRELEVANT, 0.3)];

  it("counts grades per rank band", () => {
    const report = miningReport({ counts, graded });
    expect(report.bands[0]).toEqual({ band: "1-10", total: 1, byGrade: { 0: 0, 1: 0, 2: 1 } });
    expect(report.bands[1]).toEqual({ band: "11-20", total: 2, byGrade: { 0: 1, 1: 1, 2: 0 } });
    expect(report.bands[3]!.total).toBe(1);
  });

  it("counts false negatives avoided", () => {
    expect(miningReport({ counts, graded }).falseNegativesAvoided).toBe(2);
  });

  it("summarises scores per grade", () => {
    const report = miningReport({ counts, graded });
    expect(report.scoresByGrade[0].count).toBe(2);
    expect(report.scoresByGrade[0].mean).toBeCloseTo(0.4, 10);
    expect(Number.isNaN(miningReport({ counts, graded: [] }).scoresByGrade[2].mean)).toBe(true);
  });

  it("renders Markdown tables", () => {
    const text = formatMiningReport(miningReport({ counts, graded, annRecall: { k: 100, recall: 0.97, queries: 50 } }));
    expect(text).toContain("| 11-20 | 2 | 1 | 1 | 0 |");
    expect(text).toContain("recall@100 against exact search: 0.9700");
  });
});

describe("gradeCandidates", () => {
  const product = (id: string): Product => ({ id, title: `title ${id}`, fields: {} });

  it("keeps grades and counts failures", async () => {
    const seen: string[] = [];
    const judge: PairJudge = {
      id: "fake",
      async grade(pairs) {
        return pairs.map((pair) => {
          seen.push(`${pair.query}|${pair.product.title}`);
          return pair.productId === "p2"
            ? { queryId: pair.queryId, productId: pair.productId, error: { code: "invalid_json", message: "bad" }, judgeId: "fake" }
            : { queryId: pair.queryId, productId: pair.productId, grade: GRADE_MODERATE, confidence: 0.7, judgeId: "fake", guidelineVersion: "v1" };
        });
      },
    };
    const candidates = [1, 2, 3].map((rank) => ({ queryId: "q", productId: `p${rank}`, rank, score: 1 - rank / 10 }));
    const outcome = await gradeCandidates(candidates, judge, { queryText: () => "drill", product }, { batchSize: 2 });
    expect(outcome.graded.map((g) => g.productId)).toEqual(["p1", "p3"]);
    expect(outcome.failures).toEqual({ invalid_json: 1 });
    expect(seen[0]).toBe("drill|title p1");
  });
});
