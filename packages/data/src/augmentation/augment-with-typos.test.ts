import { type Dataset, GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, InputError } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { augmentWithTypos } from "./augment-with-typos.js";
import { createTypoGenerator } from "./typo-generator.js";

function makeDataset(): Dataset {
  return {
    name: "tiny",
    products: [
      { id: "p1", title: "Cordless Hammer Drill 18V", fields: {} },
      { id: "p2", title: "Drill Bit Set", fields: {} },
    ],
    queries: [
      { id: "q1", text: "cordless drill", locale: "en" },
      { id: "q2", text: "taladro inalámbrico", locale: "es" },
      { id: "q3", text: "tv" },
    ],
    judgments: [
      { queryId: "q1", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "3.00" },
      { queryId: "q1", productId: "p2", grade: GRADE_MODERATE, rawLabel: "2.00" },
      { queryId: "q2", productId: "p2", grade: GRADE_IRRELEVANT, rawLabel: "I" },
      { queryId: "q3", productId: "p1", grade: GRADE_IRRELEVANT, rawLabel: "1.00" },
    ],
  };
}

const eager = createTypoGenerator({ baseProbability: 1, maxProbability: 1 });

describe("augmentWithTypos additive", () => {
  const dataset = makeDataset();
  const result = augmentWithTypos(dataset, ["q1", "q2"], { seed: 11, ratio: 2, mode: "additive", generator: eager });

  it("keeps clean queries", () => {
    expect(result.dataset.queries.slice(0, 3)).toEqual(makeDataset().queries);
  });

  it("keeps clean judgments", () => {
    expect(result.dataset.judgments.slice(0, 4)).toEqual(makeDataset().judgments);
  });

  it("adds two copies each", () => {
    expect(result.addedQueryIds).toEqual(["q1~typo1", "q1~typo2", "q2~typo1", "q2~typo2"]);
  });

  it("maps copies to originals", () => {
    expect(result.mapping.get("q2~typo2")).toBe("q2");
    expect(result.mapping.size).toBe(4);
  });

  it("copies grades and raw labels", () => {
    const copied = result.dataset.judgments.filter((judgment) => judgment.queryId === "q1~typo1");
    expect(copied).toEqual([
      { queryId: "q1~typo1", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "3.00" },
      { queryId: "q1~typo1", productId: "p2", grade: GRADE_MODERATE, rawLabel: "2.00" },
    ]);
  });

  it("misspells the copies", () => {
    const copy = result.dataset.queries.find((query) => query.id === "q1~typo1");
    expect(copy?.text).not.toBe("cordless drill");
  });

  it("keeps the locale", () => {
    const copy = result.dataset.queries.find((query) => query.id === "q2~typo1");
    expect(copy?.locale).toBe("es");
  });

  it("leaves the input alone", () => {
    expect(dataset).toEqual(makeDataset());
  });

  it("touches only listed queries", () => {
    expect(result.dataset.queries.some((query) => query.id.startsWith("q3~"))).toBe(false);
  });

  it("repeats for a seed", () => {
    const again = augmentWithTypos(makeDataset(), ["q1", "q2"], { seed: 11, ratio: 2, mode: "additive", generator: eager });
    expect(again.dataset.queries).toEqual(result.dataset.queries);
  });

  it("skips unperturbable queries", () => {
    const short = augmentWithTypos(makeDataset(), ["q3"], { seed: 1, ratio: 1, mode: "additive", generator: eager });
    expect(short.addedQueryIds).toEqual([]);
  });
});

describe("augmentWithTypos ratio", () => {
  it("fractional ratio averages out", () => {
    const queries = Array.from({ length: 400 }, (_, i) => ({ id: `q${i}`, text: `cordless drill model${"x".repeat(i % 7)}` }));
    const dataset: Dataset = { name: "many", products: [], queries, judgments: [] };
    const ids = queries.map((query) => query.id);
    const result = augmentWithTypos(dataset, ids, { seed: 3, ratio: 1.5, mode: "additive", generator: eager });
    const copiesPerQuery = result.addedQueryIds.length / queries.length;
    // 400 Bernoulli(0.5) draws have a standard deviation of 0.025 in the mean, so 0.1 is four of them.
    expect(Math.abs(copiesPerQuery - 1.5)).toBeLessThan(0.1);
  });

  it("zero ratio adds nothing", () => {
    const result = augmentWithTypos(makeDataset(), ["q1"], { seed: 3, ratio: 0, mode: "additive", generator: eager });
    expect(result.dataset.queries.length).toBe(3);
  });
});

describe("augmentWithTypos replace", () => {
  const result = augmentWithTypos(makeDataset(), ["q1", "q2"], { seed: 4, ratio: 1, mode: "replace", generator: eager });

  it("keeps ids and count", () => {
    expect(result.dataset.queries.map((query) => query.id)).toEqual(["q1", "q2", "q3"]);
  });

  it("changes the texts", () => {
    expect(result.dataset.queries[0]?.text).not.toBe("cordless drill");
    expect(result.dataset.queries[1]?.text).not.toBe("taladro inalámbrico");
  });

  it("keeps unlisted texts", () => {
    expect(result.dataset.queries[2]?.text).toBe("tv");
  });

  it("keeps judgments", () => {
    expect(result.dataset.judgments).toEqual(makeDataset().judgments);
  });

  it("adds no queries", () => {
    expect(result.addedQueryIds).toEqual([]);
  });

  it("maps replaced ids to themselves", () => {
    expect([...result.mapping]).toEqual([
      ["q1", "q1"],
      ["q2", "q2"],
    ]);
  });

  it("rejects ratio above 1", () => {
    expect(() => augmentWithTypos(makeDataset(), ["q1"], { seed: 4, ratio: 2, mode: "replace" })).toThrow(/ratio/);
  });
});

describe("augmentWithTypos input", () => {
  it("rejects an unknown query id", () => {
    expect(() => augmentWithTypos(makeDataset(), ["q9"], { seed: 1, ratio: 1, mode: "additive" })).toThrow(InputError);
  });

  it("rejects a negative ratio", () => {
    expect(() => augmentWithTypos(makeDataset(), ["q1"], { seed: 1, ratio: -1, mode: "additive" })).toThrow(/ratio/);
  });
});
