import { describe, expect, it } from "vitest";
import { findComparison, flagBest, significanceMarker } from "./table-model.js";
import { sampleReportInput } from "./test/sample-input.js";

describe("flagBest", () => {
  it("flags the maximum", () => {
    expect(flagBest([0.1, 0.3, 0.2])).toEqual([false, true, false]);
  });

  it("flags ties after rounding", () => {
    expect(flagBest([0.7, 0.6996, 0.6994])).toEqual([true, true, false]);
  });

  it("skips missing values", () => {
    expect(flagBest([null, 0.2, undefined, 0.1])).toEqual([false, true, false, false]);
  });

  it("flags nothing for a lone value", () => {
    expect(flagBest([null, 0.2])).toEqual([false, false]);
  });
});

describe("findComparison", () => {
  it("keeps a system vs reference entry", () => {
    expect(findComparison(sampleReportInput(), "ndcg@10", "BM25", "Stage 2")).toEqual({
      difference: 0.07717,
      ciLow: 0.05,
      ciHigh: 0.1,
      pValue: 0.0004,
    });
  });

  it("flips a reference vs system entry", () => {
    const comparison = findComparison(sampleReportInput(), "ndcg@10", "BM25", "Hybrid");
    expect(comparison?.difference).toBeCloseTo(0.03766, 12);
    expect(comparison?.ciLow).toBeCloseTo(0.01, 12);
    expect(comparison?.ciHigh).toBeCloseTo(0.06, 12);
  });

  it("returns undefined without a match", () => {
    expect(findComparison(sampleReportInput(), "recall@100", "BM25", "Hybrid")).toBeUndefined();
  });
});

describe("significanceMarker", () => {
  it("ignores p at the level", () => {
    const input = sampleReportInput();
    input.comparisons[0]!.pValue = 0.05;
    expect(significanceMarker(input, "ndcg@10", "BM25", "Stage 2")).toBeUndefined();
  });

  it("marks p below the level", () => {
    const input = sampleReportInput();
    input.comparisons[0]!.pValue = 0.0499;
    expect(significanceMarker(input, "ndcg@10", "BM25", "Stage 2")?.marker).toBe("▲");
  });
});
