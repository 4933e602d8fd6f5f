import { describe, expect, it } from "vitest";
import { generateDemoCatalog } from "./demo/catalog.js";
import { loadDataSource } from "./load-data-source.js";

describe("loadDataSource", () => {
  it("builds the demo catalog", async () => {
    const dataset = await loadDataSource({ kind: "demo", seed: 3, products: 90, queriesPerLocale: 5 });
    const expected = generateDemoCatalog({ seed: 3, products: 90, queriesPerLocale: 5 });
    expect(dataset.products.map((product) => product.id)).toEqual(expected.products.map((product) => product.id));
    expect(dataset.judgments.length).toBe(expected.judgments.length);
  });

  it("names the missing file", async () => {
    await expect(loadDataSource({ kind: "generic", path: "/nonexistent/pairs.csv" })).rejects.toThrow(/pairs\.csv/);
  });
});
