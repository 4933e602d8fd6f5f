import { ConfigError, type Dataset, type Judgment, tokenize } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { generateDemoCatalog } from "./catalog.js";

const SMALL = { seed: 3, products: 450, queriesPerLocale: 40 };

function judgmentsByQuery(dataset: Dataset): Map<string, Judgment[]> {
  const groups = new Map<string, Judgment[]>();
  for (const judgment of dataset.judgments) {
    const group = groups.get(judgment.queryId) ?? [];
    group.push(judgment);
    groups.set(judgment.queryId, group);
  }
  return groups;
}

describe("generateDemoCatalog", () => {
  const dataset = generateDemoCatalog();
  const products = new Map(dataset.products.map((product) => [product.id, product]));
  const groups = judgmentsByQuery(dataset);

  it("has the default sizes", () => {
    expect(dataset.name).toBe("demo");
    expect(dataset.products).toHaveLength(3000);
    expect(dataset.queries).toHaveLength(1500);
  });

  it("repeats for a seed", () => {
    expect(generateDemoCatalog(SMALL)).toEqual(generateDemoCatalog(SMALL));
  });

  it("changes with the seed", () => {
    const other = generateDemoCatalog({ ...SMALL, seed: 4 });
    expect(other.queries.map((query) => query.text)).not.toEqual(generateDemoCatalog(SMALL).queries.map((query) => query.text));
  });

  it("covers three locales", () => {
    for (const locale of ["en", "es", "ja"]) {
      expect(dataset.products.filter((product) => product.locale === locale)).toHaveLength(1000);
      expect(dataset.queries.filter((query) => query.locale === locale)).toHaveLength(500);
    }
  });

  it("gives unique ids and titles", () => {
    expect(new Set(dataset.products.map((product) => product.id)).size).toBe(3000);
    expect(new Set(dataset.products.map((product) => product.title)).size).toBe(3000);
    expect(new Set(dataset.queries.map((query) => query.id)).size).toBe(1500);
  });

  it("fills product fields", () => {
    for (const product of dataset.products) {
      expect(product.fields.brand, product.id).toBeTruthy();
      expect(product.fields.type, product.id).toBeTruthy();
    }
    expect(dataset.products.filter((product) => product.fields.color !== undefined).length).toBeGreaterThan(1500);
  });

  it("judges 10 to 15 products a query", () => {
    for (const [queryId, judgments] of groups) {
      expect(judgments.length, queryId).toBeGreaterThanOrEqual(10);
      expect(judgments.length, queryId).toBeLessThanOrEqual(15);
    }
    expect(groups.size).toBe(1500);
  });

  it("judges within the query locale", () => {
    const localeOf = new Map(dataset.queries.map((query) => [query.id, query.locale]));
    const mismatched = dataset.judgments.filter((judgment) => products.get(judgment.productId)?.locale !== localeOf.get(judgment.queryId));
    expect(mismatched).toEqual([]);
  });

  it("matches raw labels to grades", () => {
    const gradeOf: Record<string, number> = { E: 2, S: 1, C: 1, I: 0 };
    for (const judgment of dataset.judgments) expect(judgment.grade, judgment.rawLabel).toBe(gradeOf[judgment.rawLabel]);
  });

  it("gives every query an exact match", () => {
    for (const [queryId, judgments] of groups) expect(judgments.some((judgment) => judgment.rawLabel === "E"), queryId).toBe(true);
  });

  it("keeps E and S within the query type", () => {
    for (const [queryId, judgments] of groups) {
      const typeOf = (judgment: Judgment): string | undefined => products.get(judgment.productId)?.fields.type;
      const queryType = typeOf(judgments.find((judgment) => judgment.rawLabel === "E")!);
      for (const judgment of judgments) {
        const sameType = typeOf(judgment) === queryType;
        expect(sameType, `${queryId} ${judgment.rawLabel} ${judgment.productId}`).toBe(judgment.rawLabel === "E" || judgment.rawLabel === "S");
      }
    }
  });

  it("names the query type in the query", () => {
    const textOf = new Map(dataset.queries.map((query) => [query.id, query.text.toLowerCase()]));
    for (const judgment of dataset.judgments) {
      if (judgment.rawLabel !== "E") continue;
      const type = products.get(judgment.productId)?.fields.type?.toLowerCase() ?? "";
      expect(textOf.get(judgment.queryId), judgment.productId).toContain(type);
    }
  });

  it("states every query word in E titles", () => {
    // Exact matches carry the brand and every attribute the query states.
    const textOf = new Map(dataset.queries.map((query) => [query.id, query.text]));
    for (const judgment of dataset.judgments) {
      if (judgment.rawLabel !== "E") continue;
      const titleWords = new Set(tokenize(products.get(judgment.productId)!.title));
      const missing = tokenize(textOf.get(judgment.queryId)!).filter((word) => !titleWords.has(word));
      expect(missing, `${textOf.get(judgment.queryId)} / ${products.get(judgment.productId)?.title}`).toEqual([]);
    }
  });

  it("gives substitutes a differing stated value", () => {
    // A field counts as stated when the exact match's value for it appears in the query. Word overlap
    // alone is not enough: "stainless steel" screws contain every word of "steel wood screws".
    const textOf = new Map(dataset.queries.map((query) => [query.id, query.text.toLowerCase()]));
    const statable = ["brand", "size", "voltage", "color", "material", "pack"];
    for (const [queryId, judgments] of groups) {
      const text = textOf.get(queryId)!;
      const exact = products.get(judgments.find((judgment) => judgment.rawLabel === "E")!.productId)!;
      const stated = statable.filter((field) => exact.fields[field] !== undefined && text.includes(exact.fields[field].toLowerCase()));
      for (const judgment of judgments) {
        if (judgment.rawLabel !== "S") continue;
        const substitute = products.get(judgment.productId)!;
        const differing = stated.filter((field) => substitute.fields[field] !== exact.fields[field]);
        expect(differing.length, `${text} / ${substitute.title}`).toBeGreaterThan(0);
      }
    }
  });

  it("includes lexical look-alikes among irrelevant", () => {
    // An irrelevant product whose title shares a word with the query defeats pure lexical matching.
    const wordsOf = new Map(dataset.queries.map((query) => [query.id, new Set(tokenize(query.text))]));
    const irrelevant = dataset.judgments.filter((judgment) => judgment.rawLabel === "I");
    const overlapping = irrelevant.filter((judgment) => tokenize(products.get(judgment.productId)!.title).some((word) => wordsOf.get(judgment.queryId)!.has(word)));
    expect(overlapping.length / irrelevant.length).toBeGreaterThan(0.2);
  });

  it("includes complements", () => {
    expect(dataset.judgments.filter((judgment) => judgment.rawLabel === "C").length).toBeGreaterThan(1000);
  });

  it("rejects too few products", () => {
    expect(() => generateDemoCatalog({ products: 10 })).toThrow(ConfigError);
  });

  it("rejects a fractional query count", () => {
    expect(() => generateDemoCatalog({ queriesPerLocale: 2.5 })).toThrow(/queriesPerLocale/);
  });
});
