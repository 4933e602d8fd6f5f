import { GRADE_MODERATE, GRADE_RELEVANT, InputError, type Product } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { type JudgePair, type JudgeResult, type PairJudge, gradeSyntheticQueries } from "./grade-synthetic-queries.js";
import type { SyntheticQuery } from "./synthetic-queries.js";

const products: Product[] = [
  { id: "drill", title: "Ryobi 18V Cordless Hammer Drill", fields: { brand: "Ryobi" } },
  { id: "pipe", title: "3/4 in. x 10 ft. PVC Pipe", fields: {} },
];

function synthetic(queryId: string, text: string, sourceProductId: string): SyntheticQuery {
  return { queryId, text, locale: "en", sourceProductId, template: "type" };
}

const queries: SyntheticQuery[] = [
  synthetic("s1", "ryobi cordless hammer drill", "drill"),
  synthetic("s2", "cordless hammer drill", "drill"),
  synthetic("s3", "pvc pipe", "pipe"),
  synthetic("s4", "pvc pipe 10 ft", "pipe"),
  // The same pair written by a second template is graded once.
  synthetic("s1", "ryobi cordless hammer drill", "drill"),
];

/**
 * A rule judge: relevant when the query names the brand, moderate otherwise, an error for "pvc pipe"
 * and a low confidence for "10 ft". It returns results in reverse order to check that results are matched by pair.
 */
class RuleJudge implements PairJudge {
  readonly id = "rule";
  readonly guidelineVersion = "test-v1";
  readonly calls: JudgePair[][] = [];

  async grade(pairs: JudgePair[]): Promise<JudgeResult[]> {
    this.calls.push(pairs);
    const results = pairs.map((pair): JudgeResult => {
      const base = { queryId: pair.queryId, productId: pair.productId, judgeId: this.id };
      if (pair.query === "pvc pipe") return { ...base, error: { code: "malformed_output", message: "no grade in output" } };
      const grade = pair.query.includes("ryobi") ? GRADE_RELEVANT : GRADE_MODERATE;
      const confidence = pair.query.includes("10 ft") ? 0.3 : 0.9;
      return { ...base, grade, confidence, guidelineVersion: this.guidelineVersion };
    });
    return results.reverse();
  }
}

describe("gradeSyntheticQueries", () => {
  it("keeps graded pairs", async () => {
    const result = await gradeSyntheticQueries(queries, products, new RuleJudge(), { minConfidence: 0.5 });
    expect(result.judgments).toEqual([
      { queryId: "s1", productId: "drill", grade: GRADE_RELEVANT, rawLabel: "2" },
      { queryId: "s2", productId: "drill", grade: GRADE_MODERATE, rawLabel: "1" },
    ]);
  });

  it("reports judge errors and low confidence", async () => {
    const result = await gradeSyntheticQueries(queries, products, new RuleJudge(), { minConfidence: 0.5 });
    expect(result.failures.map((failure) => [failure.queryId, failure.code])).toEqual([
      ["s3", "malformed_output"],
      ["s4", "low_confidence"],
    ]);
  });

  it("keeps low confidence by default", async () => {
    const result = await gradeSyntheticQueries(queries, products, new RuleJudge());
    expect(result.judgments.map((judgment) => judgment.queryId)).toEqual(["s1", "s2", "s4"]);
  });

  it("returns queries with judgments", async () => {
    const result = await gradeSyntheticQueries(queries, products, new RuleJudge(), { minConfidence: 0.5 });
    expect(result.queries).toEqual([
      { id: "s1", text: "ryobi cordless hammer drill", locale: "en" },
      { id: "s2", text: "cordless hammer drill", locale: "en" },
    ]);
  });

  it("records provenance", async () => {
    const result = await gradeSyntheticQueries(queries, products, new RuleJudge());
    expect(result.graded[0]).toMatchObject({ confidence: 0.9, judgeId: "rule", guidelineVersion: "test-v1", template: "type" });
  });

  it("sends batches of batchSize", async () => {
    const judge = new RuleJudge();
    await gradeSyntheticQueries(queries, products, judge, { batchSize: 3 });
    expect(judge.calls.map((call) => call.length)).toEqual([3, 1]);
  });

  it("reports a missing result", async () => {
    const silent: PairJudge = { id: "silent", guidelineVersion: "v", grade: async () => [] };
    const result = await gradeSyntheticQueries(queries.slice(0, 1), products, silent);
    expect(result.failures.map((failure) => failure.code)).toEqual(["missing_result"]);
  });

  it("rejects an unknown product", async () => {
    const stray = [synthetic("s9", "hose", "hose")];
    await expect(gradeSyntheticQueries(stray, products, new RuleJudge())).rejects.toThrow(InputError);
  });
});
