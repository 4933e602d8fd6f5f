import { ConfigError, type Dataset, GRADE_RELEVANT, type Judgment, MineRefineError } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { splitQueries, subsetDataset } from "./split.js";

/** 100 queries q000..q099 with one judgment each, plus q100 without any judgment. */
function makeDataset(): Dataset {
  const judgments: Judgment[] = [];
  const queries = [];
  for (let index = 0; index <= 100; index++) {
    const id = `q${String(index).padStart(3, "0")}`;
    queries.push({ id, text: `query ${index}` });
    if (index < 100) judgments.push({ queryId: id, productId: `p${index % 7}`, grade: GRADE_RELEVANT, rawLabel: "2" });
  }
  const products = Array.from({ length: 7 }, (_, index) => ({ id: `p${index}`, title: `product ${index}`, fields: {} }));
  return { name: "toy", products, queries, judgments };
}

describe("splitQueries", () => {
  const dataset = makeDataset();

  it("cuts exact sizes", () => {
    const split = splitQueries(dataset, { seed: 7, devFraction: 0.1, testFraction: 0.2 });
    expect(split.test).toHaveLength(20);
    expect(split.dev).toHaveLength(10);
    expect(split.train).toHaveLength(70);
  });

  it("rounds split sizes", () => {
    // 10 queries: round(10 * 0.25) = 3 test, round(10 * 0.15) = 2 dev, and the other 5 train.
    const small = subsetDataset(dataset, ["q000", "q001", "q002", "q003", "q004", "q005", "q006", "q007", "q008", "q009"]);
    const split = splitQueries(small, { seed: 7, devFraction: 0.15, testFraction: 0.25 });
    expect(split.test).toHaveLength(3);
    expect(split.dev).toHaveLength(2);
    expect(split.train).toHaveLength(5);
  });

  it("puts each query in one split", () => {
    const split = splitQueries(dataset, { seed: 7, devFraction: 0.1, testFraction: 0.2 });
    const all = [...split.train, ...split.dev, ...split.test];
    expect(new Set(all).size).toBe(100);
  });

  it("leaves out unjudged queries", () => {
    const split = splitQueries(dataset, { seed: 7, devFraction: 0.1, testFraction: 0.2 });
    expect([...split.train, ...split.dev, ...split.test]).not.toContain("q100");
  });

  it("repeats for a seed", () => {
    const first = splitQueries(dataset, { seed: 7, devFraction: 0.1, testFraction: 0.2 });
    const second = splitQueries(dataset, { seed: 7, devFraction: 0.1, testFraction: 0.2 });
    expect(second).toEqual(first);
  });

  it("changes with the seed", () => {
    const first = splitQueries(dataset, { seed: 7, devFraction: 0.1, testFraction: 0.2 });
    const second = splitQueries(dataset, { seed: 8, devFraction: 0.1, testFraction: 0.2 });
    expect(second.test).not.toEqual(first.test);
  });

  it("ignores judgment order", () => {
    const reversed = { ...dataset, judgments: [...dataset.judgments].reverse() };
    const first = splitQueries(dataset, { seed: 3, devFraction: 0.1, testFraction: 0.2 });
    expect(splitQueries(reversed, { seed: 3, devFraction: 0.1, testFraction: 0.2 })).toEqual(first);
  });

  it("keeps most assignments when queries are added", () => {
    // Old queries keep their hash order, so only new queries ranked ahead of the cut push old ones out.
    const before = splitQueries(dataset, { seed: 5, devFraction: 0, testFraction: 0.2 });
    const extra: Judgment[] = Array.from({ length: 10 }, (_, index) => ({ queryId: `extra${index}`, productId: "p0", grade: GRADE_RELEVANT, rawLabel: "2" }));
    const after = splitQueries({ ...dataset, judgments: [...dataset.judgments, ...extra] }, { seed: 5, devFraction: 0, testFraction: 0.2 });
    const keptInTest = before.test.filter((id) => after.test.includes(id)).length;
    expect(keptInTest).toBeGreaterThanOrEqual(17);
  });

  it("rejects fractions summing to one", () => {
    expect(() => splitQueries(dataset, { seed: 1, devFraction: 0.5, testFraction: 0.5 })).toThrow(ConfigError);
  });

  it("rejects a negative fraction", () => {
    expect(() => splitQueries(dataset, { seed: 1, devFraction: -0.1, testFraction: 0.2 })).toThrow(/devFraction/);
  });

  it("rejects a fractional seed", () => {
    expect(() => splitQueries(dataset, { seed: 1.5, devFraction: 0.1, testFraction: 0.2 })).toThrow(/seed/);
  });
});

describe("subsetDataset", () => {
  const dataset = makeDataset();

  it("keeps the chosen queries", () => {
    const subset = subsetDataset(dataset, ["q001", "q002"]);
    expect(subset.queries.map((query) => query.id)).toEqual(["q001", "q002"]);
    expect(subset.judgments.map((judgment) => judgment.queryId)).toEqual(["q001", "q002"]);
  });

  it("keeps the whole catalog", () => {
    expect(subsetDataset(dataset, ["q001"]).products).toHaveLength(7);
  });

  it("rejects an unknown query id", () => {
    expect(() => subsetDataset(dataset, ["q999"])).toThrow(MineRefineError);
  });
});
