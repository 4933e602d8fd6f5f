import { type Dataset, GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { datasetStats, formatDatasetStats } from "./stats.js";

/** Two English queries and one Spanish query. Query q3 has no judgment. */
const DATASET: Dataset = {
  name: "toy",
  products: [
    { id: "p1", title: "Drill", fields: {}, locale: "en" },
    { id: "p2", title: "Taladro", fields: {}, locale: "es" },
    { id: "p3", title: "Lamp", fields: {} },
  ],
  queries: [
    { id: "q1", text: "drill", locale: "en" },
    { id: "q2", text: "taladro", locale: "es" },
    { id: "q3", text: "lamp", locale: "en" },
  ],
  judgments: [
    { queryId: "q1", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "E" },
    { queryId: "q1", productId: "p3", grade: GRADE_IRRELEVANT, rawLabel: "I" },
    { queryId: "q2", productId: "p2", grade: GRADE_RELEVANT, rawLabel: "E" },
    { queryId: "q2", productId: "p1", grade: GRADE_MODERATE, rawLabel: "S" },
  ],
};

describe("datasetStats", () => {
  const stats = datasetStats(DATASET, { train: ["q1"], dev: [], test: ["q2"] });

  it("counts totals", () => {
    expect(stats.products).toBe(3);
    expect(stats.queries).toBe(3);
    expect(stats.judgedQueries).toBe(2);
    expect(stats.judgments).toBe(4);
  });

  it("counts grades", () => {
    expect(stats.judgmentsByGrade).toEqual({ [GRADE_IRRELEVANT]: 1, [GRADE_MODERATE]: 1, [GRADE_RELEVANT]: 2 });
  });

  it("counts by locale", () => {
    expect(stats.byLocale.en).toEqual({ products: 1, queries: 2, judgments: 2, judgmentsByGrade: { 0: 1, 1: 0, 2: 1 } });
    expect(stats.byLocale.es).toEqual({ products: 1, queries: 1, judgments: 2, judgmentsByGrade: { 0: 0, 1: 1, 2: 1 } });
    expect(stats.byLocale.unknown?.products).toBe(1);
  });

  it("counts by split", () => {
    expect(stats.bySplit?.train).toEqual({ products: 3, queries: 1, judgments: 2, judgmentsByGrade: { 0: 1, 1: 0, 2: 1 } });
    expect(stats.bySplit?.dev.judgments).toBe(0);
    expect(stats.bySplit?.test.judgments).toBe(2);
  });

  it("omits splits without one", () => {
    expect(datasetStats(DATASET).bySplit).toBeUndefined();
  });
});

describe("formatDatasetStats", () => {
  it("renders one line per part", () => {
    const text = formatDatasetStats(datasetStats(DATASET, { train: ["q1"], dev: [], test: ["q2"] }));
    const lines = text.split("\n");
    expect(lines[0]).toBe('Dataset "toy": 2 of 3 queries judged');
    // The label column is as wide as "locale unknown" (14 characters), and counts end under their headers.
    expect(lines[1]).toBe("                products  queries  judgments  2 relevant  1 moderately relevant  0 irrelevant");
    expect(lines[2]).toBe("all                    3        3          4           2                      1             1");
    const localeRows = lines.filter((line) => line.startsWith("locale "));
    expect(localeRows.map((line) => line.split(/\s+/)[1])).toEqual(["en", "es", "unknown"]);
    expect(lines.at(-1)?.startsWith("split test")).toBe(true);
    expect(lines).toHaveLength(9);
  });
});
