import { GRADE_RELEVANT, type Judgment, type Product } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { extractAttributes, extractProductFacets } from "./product-facets.js";
import { countJudgedQueries, generateSyntheticQueries, syntheticQueryId } from "./synthetic-queries.js";

const drill: Product = { id: "drill", title: "Ryobi 18V Cordless Hammer Drill with Battery", fields: { brand: "Ryobi" }, locale: "en" };
const pipe: Product = { id: "pipe", title: "Charlotte Pipe 3/4 in. x 10 ft. PVC Pipe", fields: {}, locale: "en" };
const paint: Product = { id: "paint", title: "Pintura para exterior blanca 4 litros", fields: {}, locale: "es" };
const taladro: Product = { id: "taladro", title: "Bosch Taladro percutor 18V", fields: { brand: "Bosch" }, locale: "es" };
const driver: Product = { id: "driver", title: "マキタ 充電式インパクトドライバ 18V ブルー", fields: { brand: "マキタ" }, locale: "ja" };
const bulbs: Product = { id: "bulbs", title: "Philips LED Light Bulb 60W Equivalent 4-Pack", fields: {}, locale: "en" };

function texts(products: Product[], maxPerProduct = 50): string[] {
  return generateSyntheticQueries(products, { seed: 1, maxPerProduct })
    .map((query) => query.text)
    .sort();
}

describe("extractProductFacets", () => {
  it("guesses the English head noun", () => {
    expect(extractProductFacets(drill).type).toBe("cordless hammer drill");
  });

  it("prefers fields.type", () => {
    expect(extractProductFacets({ ...drill, fields: { type: "Hammer Drill" } }).type).toBe("hammer drill");
  });

  it("reads the brand field", () => {
    expect(extractProductFacets(drill).brand).toBe("ryobi");
  });

  it("reads a voltage", () => {
    expect(extractProductFacets(drill).attributes).toEqual([{ kind: "voltage", text: "18v" }]);
  });

  it("skips sizes for the type", () => {
    expect(extractProductFacets(pipe).type).toBe("pvc pipe");
  });

  it("reads fractional sizes", () => {
    expect(extractProductFacets(pipe).attributes).toEqual([
      { kind: "size", text: "3/4 in." },
      { kind: "size", text: "10 ft." },
    ]);
  });

  it("keeps the Spanish head first", () => {
    expect(extractProductFacets(paint).type).toBe("pintura");
  });

  it("reads Spanish attributes", () => {
    expect(extractProductFacets(paint).attributes).toEqual([
      { kind: "size", text: "4 litros" },
      { kind: "color", text: "blanca" },
    ]);
  });

  it("takes the Japanese last token", () => {
    expect(extractProductFacets(driver).type).toBe("充電式インパクトドライバ");
  });

  it("reads watts and pack counts", () => {
    expect(extractAttributes(bulbs.title)).toEqual([
      { kind: "power", text: "60w" },
      { kind: "count", text: "4-pack" },
    ]);
  });

  it("reads a mixed fraction", () => {
    expect(extractAttributes("Shower Door 65-1/2 in. H")).toEqual([{ kind: "size", text: "65-1/2 in. h" }]);
  });

  it("falls back to the colour field", () => {
    const product: Product = { id: "p", title: "Acme Garden Hose", fields: { color: "Green" } };
    expect(extractProductFacets(product).attributes).toEqual([{ kind: "color", text: "green" }]);
  });

  it("finds no type in digits", () => {
    expect(extractProductFacets({ id: "p", title: "12345", fields: {} }).type).toBeUndefined();
  });
});

describe("generateSyntheticQueries", () => {
  it("writes every English template", () => {
    expect(texts([drill])).toEqual([
      "18v cordless hammer drill",
      "cordless hammer drill",
      "ryobi 18v cordless hammer drill",
      "ryobi cordless hammer drill",
    ]);
  });

  it("puts Spanish attributes after the type", () => {
    expect(texts([taladro])).toEqual(["bosch taladro percutor", "bosch taladro percutor 18v", "taladro percutor", "taladro percutor 18v"]);
  });

  it("combines two attributes", () => {
    expect(texts([paint])).toContain("pintura 4 litros blanca");
  });

  it("names the template", () => {
    const query = generateSyntheticQueries([drill], { seed: 1, maxPerProduct: 50 }).find((item) => item.text === "ryobi cordless hammer drill");
    expect(query?.template).toBe("brand+type");
  });

  it("keeps source and locale", () => {
    const [query] = generateSyntheticQueries([taladro], { seed: 1, maxPerProduct: 1 });
    expect(query?.sourceProductId).toBe("taladro");
    expect(query?.locale).toBe("es");
  });

  it("caps queries per product", () => {
    expect(generateSyntheticQueries([drill, pipe], { seed: 1, maxPerProduct: 2 }).length).toBe(4);
  });

  it("repeats for a seed", () => {
    const first = generateSyntheticQueries([drill, pipe], { seed: 7, maxPerProduct: 2 });
    expect(generateSyntheticQueries([drill, pipe], { seed: 7, maxPerProduct: 2 })).toEqual(first);
  });

  it("shares ids across products", () => {
    const twin: Product = { ...drill, id: "drill-2" };
    const queries = generateSyntheticQueries([drill, twin], { seed: 1, maxPerProduct: 50 }).filter((query) => query.text === "cordless hammer drill");
    expect(queries.map((query) => query.queryId)).toEqual([syntheticQueryId("cordless hammer drill"), syntheticQueryId("cordless hammer drill")]);
  });

  it("skips excluded texts", () => {
    const queries = generateSyntheticQueries([drill], { seed: 1, maxPerProduct: 50, excludeTexts: ["Cordless  Hammer Drill"] });
    expect(queries.map((query) => query.text)).not.toContain("cordless hammer drill");
  });

  it("skips products without a type", () => {
    expect(generateSyntheticQueries([{ id: "p", title: "12345", fields: {} }], { seed: 1, maxPerProduct: 5 })).toEqual([]);
  });

  it("selects products by id set", () => {
    const queries = generateSyntheticQueries([drill, pipe], { seed: 1, maxPerProduct: 5, productsWithFewQueries: new Set(["pipe"]) });
    expect(new Set(queries.map((query) => query.sourceProductId))).toEqual(new Set(["pipe"]));
  });

  it("selects products below a threshold", () => {
    const judgedQueryCounts = new Map([
      ["drill", 3],
      ["pipe", 1],
    ]);
    const queries = generateSyntheticQueries([drill, pipe, paint], {
      seed: 1,
      maxPerProduct: 5,
      productsWithFewQueries: { judgedQueryCounts, threshold: 2 },
    });
    expect(new Set(queries.map((query) => query.sourceProductId))).toEqual(new Set(["pipe", "paint"]));
  });

  it("rejects a negative cap", () => {
    expect(() => generateSyntheticQueries([drill], { seed: 1, maxPerProduct: -1 })).toThrow(/maxPerProduct/);
  });
});

describe("countJudgedQueries", () => {
  it("counts distinct queries", () => {
    const judgments: Judgment[] = [
      { queryId: "q1", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "E" },
      { queryId: "q1", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "E" },
      { queryId: "q2", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "E" },
      { queryId: "q2", productId: "p2", grade: GRADE_RELEVANT, rawLabel: "E" },
    ];
    expect([...countJudgedQueries(judgments)]).toEqual([
      ["p1", 2],
      ["p2", 1],
    ]);
  });
});
