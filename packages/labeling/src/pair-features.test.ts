import { describe, expect, it } from "vitest";
import { computeFeatures, LEXICAL_FEATURE_NAMES } from "./pair-features.js";
import { makePair } from "./test/pairs.js";

function featuresOf(pairs: Parameters<typeof computeFeatures>[0], brands: string[] = []): Record<string, number>[] {
  const { names, values } = computeFeatures(pairs, { brands });
  return pairs.map((_, row) => Object.fromEntries(names.map((name, f) => [name, values[row * names.length + f] ?? Number.NaN])));
}

describe("computeFeatures", () => {
  it("lists the lexical features", () => {
    expect(computeFeatures([], { brands: [] }).names).toEqual([...LEXICAL_FEATURE_NAMES]);
  });

  it("word overlap by hand", () => {
    // Query words {red, drill}, title words {cordless, drill}: 1 shared of 3 distinct, 1 of 2 query words.
    const [row] = featuresOf([makePair("q", "red drill", "p", "Cordless Drill")]);
    expect(row?.word_jaccard).toBeCloseTo(1 / 3, 12);
    expect(row?.query_word_coverage).toBeCloseTo(0.5, 12);
  });

  it("normalises BM25 by the query's best title", () => {
    const rows = featuresOf([makePair("q", "drill", "p1", "Cordless Drill"), makePair("q", "drill", "p2", "Hammer"), makePair("q", "drill", "p3", "Drill")]);
    // The one-word title "Drill" is the shortest match, so it scores highest; "Hammer" has no query word.
    expect(rows[2]?.bm25_title_per_query_max).toBe(1);
    expect(rows[1]?.bm25_title_per_query_max).toBe(0);
    expect(rows[0]?.bm25_title_per_query_max).toBeGreaterThan(0);
    expect(rows[0]?.bm25_title_per_query_max).toBeLessThan(1);
  });

  it("flags a size conflict", () => {
    const [row] = featuresOf([makePair("q", "garden hose 50 ft", "p", "Garden Hose 25 ft")]);
    expect(row).toMatchObject({ query_has_quantity: 1, quantity_agreement: 0, quantity_conflict: 1 });
  });

  it("agrees on a converted size", () => {
    const [row] = featuresOf([makePair("q", "hose 1 ft", "p", "Hose 12 in.")]);
    expect(row).toMatchObject({ quantity_agreement: 1, quantity_conflict: 0 });
  });

  it("flags a brand conflict", () => {
    const [row] = featuresOf([makePair("q", "bosch drill", "p", "Makita Drill", { brand: "Makita" })], ["bosch", "makita"]);
    expect(row).toMatchObject({ brand_agreement: 0, brand_conflict: 1 });
  });

  it("finds the brand in the title", () => {
    const [row] = featuresOf([makePair("q", "makita drill", "p", "Makita Drill")], ["makita"]);
    expect(row).toMatchObject({ brand_agreement: 1, brand_conflict: 0 });
  });

  it("flags a colour conflict", () => {
    const [row] = featuresOf([makePair("q", "黒 ゴミ箱", "p", "白 ゴミ箱")]);
    expect(row).toMatchObject({ query_has_colour: 1, colour_agreement: 0, colour_conflict: 1 });
  });
});
