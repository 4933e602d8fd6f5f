import { describe, expect, it } from "vitest";
import { Bm25Index } from "./bm25.js";

// Three documents with lengths 2, 3 and 2, so N = 3 and avgdl = 7/3. With k1 = 1.2 and b = 0.75:
//   idf(red) = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln(1.6)      = 0.470004
//   idf(saw) = ln(1 + (3 − 1 + 0.5) / (1 + 0.5)) = ln(8/3)      = 0.980829
//   norm(|d| = 2) = 1.2 · (0.25 + 0.75 · 2 / (7/3)) = 1.071429
//   norm(|d| = 3) = 1.2 · (0.25 + 0.75 · 3 / (7/3)) = 1.457143
//   doc 0, "red":  0.470004 · 1 · 2.2 / (1 + 1.071429) = 0.499176
//   doc 1, "red":  0.470004 · 2 · 2.2 / (2 + 1.457143) = 0.598186
//   doc 2, "saw":  0.980829 · 1 · 2.2 / (1 + 1.071429) = 1.041708
const documents = ["Red drill", "red RED hammer", "blue saw"];
const TOLERANCE_DIGITS = 5; // toBeCloseTo: |difference| < 0.5e-5

describe("Bm25Index", () => {
  it("computes Lucene idf", () => {
    const index = new Bm25Index(documents);
    expect(index.score("saw", 2)).toBeCloseTo(1.041708, TOLERANCE_DIGITS);
  });

  it("scores term frequency and length", () => {
    const index = new Bm25Index(documents);
    expect(index.score("red", 0)).toBeCloseTo(0.499176, TOLERANCE_DIGITS);
    expect(index.score("red", 1)).toBeCloseTo(0.598186, TOLERANCE_DIGITS);
  });

  it("returns 0 for a document without query terms", () => {
    const index = new Bm25Index(documents);
    expect(index.score("red", 2)).toBe(0);
  });

  it("sums scores over query terms", () => {
    const index = new Bm25Index(documents);
    const hits = index.search("red saw", 10);
    expect(hits.map((hit) => hit.index)).toEqual([2, 1, 0]);
    expect(hits[0]?.score).toBeCloseTo(1.041708, TOLERANCE_DIGITS);
    expect(hits[1]?.score).toBeCloseTo(0.598186, TOLERANCE_DIGITS);
    expect(hits[2]?.score).toBeCloseTo(0.499176, TOLERANCE_DIGITS);
  });

  it("counts a repeated query term once", () => {
    const index = new Bm25Index(documents);
    expect(index.score("red red", 1)).toBeCloseTo(0.598186, TOLERANCE_DIGITS);
  });

  it("truncates results to k", () => {
    const index = new Bm25Index(documents);
    expect(index.search("red saw", 1).map((hit) => hit.index)).toEqual([2]);
  });

  it("returns only matching documents when k exceeds them", () => {
    const index = new Bm25Index(documents);
    expect(index.search("hammer", 50).map((hit) => hit.index)).toEqual([1]);
  });

  it("returns nothing for unknown terms", () => {
    const index = new Bm25Index(documents);
    expect(index.search("ladder", 5)).toEqual([]);
  });

  it("breaks ties by lower index", () => {
    const index = new Bm25Index(["pipe wrench", "valve", "pipe wrench"]);
    const hits = index.search("pipe", 3);
    expect(hits.map((hit) => hit.index)).toEqual([0, 2]);
    expect(hits[0]?.score).toBe(hits[1]?.score);
  });

  it("agrees between search and score", () => {
    const index = new Bm25Index(documents);
    for (const hit of index.search("red hammer saw", 3)) {
      expect(hit.score).toBeCloseTo(index.score("red hammer saw", hit.index), 12);
    }
  });

  it("ignores length when b is 0", () => {
    // With b = 0 every norm is k1 = 1.2, so doc 0 scores idf(red) · 2.2 / 2.2 = 0.470004.
    const index = new Bm25Index(documents, { b: 0 });
    expect(index.score("red", 0)).toBeCloseTo(0.470004, TOLERANCE_DIGITS);
  });

  it("uses a custom tokenizer", () => {
    const index = new Bm25Index(["a-b", "a"], { tokenize: (text) => text.split("-") });
    expect(index.search("b", 2).map((hit) => hit.index)).toEqual([0]);
  });

  it("handles an empty collection", () => {
    const index = new Bm25Index([]);
    expect(index.search("red", 3)).toEqual([]);
  });

  it("rejects a negative k", () => {
    const index = new Bm25Index(documents);
    expect(() => index.search("red", -1)).toThrow(/non-negative integer/);
  });

  it("rejects b above 1", () => {
    expect(() => new Bm25Index(documents, { b: 1.5 })).toThrow(/between 0 and 1/);
  });
});
