import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { averagePrecision, mrrAtK, ndcgAtK, precisionAtK, recallAtK } from "./ranking-metrics.js";

// Judged: a 2, b 1, c 0, d 2, e 1 (e never retrieved). The ranking also retrieves x, which is unjudged.
// Graded gains 2^g − 1: a 3, b 1, c 0, d 3, e 1, x 0. Discounts 1/log2(rank + 1): 1, 0.630930,
// 0.5, 0.430677, 0.386853.
const judgments = new Map<string, Grade>([
  ["a", GRADE_RELEVANT],
  ["b", GRADE_MODERATE],
  ["c", GRADE_IRRELEVANT],
  ["d", GRADE_RELEVANT],
  ["e", GRADE_MODERATE],
]);
const ranking = ["c", "a", "x", "b", "d"];
const noneRelevant = new Map<string, Grade>([["f", GRADE_IRRELEVANT]]);
const DIGITS = 6; // toBeCloseTo: |difference| < 0.5e-6

describe("ndcgAtK", () => {
  it("uses all judged products for the ideal", () => {
    // DCG@3 = 3 · 0.630930 = 1.892789; IDCG@3 = 3 + 3 · 0.630930 + 1 · 0.5 = 5.392789.
    expect(ndcgAtK(ranking, judgments, 3)).toBeCloseTo(0.350985, DIGITS);
  });

  it("handles k beyond the ranking", () => {
    // DCG = 1.892789 + 1 · 0.430677 + 3 · 0.386853 = 3.484025; IDCG = 5.392789 + 0.430677 = 5.823466.
    expect(ndcgAtK(ranking, judgments, 10)).toBeCloseTo(0.598273, DIGITS);
  });

  it("is 1 for the ideal order", () => {
    expect(ndcgAtK(["a", "d", "b", "e", "c"], judgments, 5)).toBeCloseTo(1, 12);
  });

  it("is 1 for any order of equal gains", () => {
    expect(ndcgAtK(["d", "a", "e", "b"], judgments, 4)).toBeCloseTo(1, 12);
  });

  it("is null without relevant products", () => {
    expect(ndcgAtK(["f"], noneRelevant, 10)).toBeNull();
  });

  it("is 0 for an empty ranking", () => {
    expect(ndcgAtK([], judgments, 10)).toBe(0);
  });

  it("applies custom grade gains", () => {
    // Linear gains a 2, b 1, d 2, e 1: DCG@3 = 2 · 0.630930; IDCG@3 = 2 + 2 · 0.630930 + 0.5.
    const gains = {
      name: "linear",
      gain: (grade: Grade) => grade,
    };
    expect(ndcgAtK(ranking, judgments, 3, { gains })).toBeCloseTo(1.261860 / 3.761860, DIGITS);
  });

  it("rejects k 0", () => {
    expect(() => ndcgAtK(ranking, judgments, 0)).toThrow(/positive integer/);
  });

  it("rejects a repeated product", () => {
    expect(() => ndcgAtK(["a", "a"], judgments, 2)).toThrow(/lists product "a" twice/);
  });
});

describe("ndcgAtK with ESCI gains", () => {
  // p1 Exact 1, p2 Substitute 0.1, p3 Complement 0.01, p4 Irrelevant 0, ranked p2, p1, p4, p3:
  // DCG = 0.1 + 1 · 0.630930 + 0 + 0.01 · 0.430677 = 0.735237
  // IDCG = 1 + 0.1 · 0.630930 + 0.01 · 0.5 = 1.068093
  const esciJudgments = new Map<string, Grade>([
    ["p1", GRADE_RELEVANT],
    ["p2", GRADE_MODERATE],
    ["p3", GRADE_MODERATE],
    ["p4", GRADE_IRRELEVANT],
  ]);
  const rawLabels = new Map([
    ["p1", "E"],
    ["p2", "S"],
    ["p3", "Complement"],
    ["p4", "I"],
  ]);

  it("weights labels by raw label", () => {
    const value = ndcgAtK(["p2", "p1", "p4", "p3"], esciJudgments, 10, { gains: "esci", rawLabels });
    expect(value).toBeCloseTo(0.688364, DIGITS);
  });

  it("rejects missing raw labels", () => {
    expect(() => ndcgAtK(["p1"], esciJudgments, 10, { gains: "esci" })).toThrow(/needs the raw label/);
  });

  it("rejects an unknown raw label", () => {
    const wrong = new Map([...rawLabels, ["p4", "X"]]);
    expect(() => ndcgAtK(["p1"], esciJudgments, 10, { gains: "esci", rawLabels: wrong })).toThrow(
      /no gain for raw label "X"/,
    );
  });
});

describe("recallAtK", () => {
  it("counts grade 1 as relevant by default", () => {
    // Relevant: a, b, d, e. Top 3 contains a.
    expect(recallAtK(ranking, judgments, 3)).toBe(0.25);
  });

  it("counts unretrieved relevant products", () => {
    // a, b and d retrieved, e missing.
    expect(recallAtK(ranking, judgments, 10)).toBe(0.75);
  });

  it("applies minGrade 2", () => {
    expect(recallAtK(ranking, judgments, 3, GRADE_RELEVANT)).toBe(0.5);
  });

  it("is null without relevant products", () => {
    expect(recallAtK(["f"], noneRelevant, 10)).toBeNull();
  });
});

describe("precisionAtK", () => {
  it("divides by k", () => {
    expect(precisionAtK(ranking, judgments, 3)).toBeCloseTo(1 / 3, 12);
  });

  it("keeps k when the ranking is shorter", () => {
    expect(precisionAtK(ranking, judgments, 10)).toBe(0.3);
  });

  it("is 0 without relevant products", () => {
    expect(precisionAtK(["f"], noneRelevant, 10)).toBe(0);
  });
});

describe("mrrAtK", () => {
  it("finds the first relevant rank", () => {
    expect(mrrAtK(ranking, judgments, 3)).toBe(0.5);
  });

  it("is 0 when k cuts before it", () => {
    expect(mrrAtK(ranking, judgments, 1)).toBe(0);
  });

  it("applies minGrade 2", () => {
    expect(mrrAtK(["b", "c", "d"], judgments, 10, GRADE_RELEVANT)).toBeCloseTo(1 / 3, 12);
  });

  it("is null without relevant products", () => {
    expect(mrrAtK(["f"], noneRelevant, 10)).toBeNull();
  });
});

describe("averagePrecision", () => {
  it("averages precision at each hit", () => {
    // Hits at ranks 2, 4 and 5: (1/2 + 2/4 + 3/5) / 4 relevant = 0.4, e never retrieved.
    expect(averagePrecision(ranking, judgments)).toBeCloseTo(0.4, 12);
  });

  it("applies minGrade 2", () => {
    // Hits at ranks 2 and 5: (1/2 + 2/5) / 2 = 0.45.
    expect(averagePrecision(ranking, judgments, GRADE_RELEVANT)).toBeCloseTo(0.45, 12);
  });

  it("is null without relevant products", () => {
    expect(averagePrecision(["f"], noneRelevant)).toBeNull();
  });
});
