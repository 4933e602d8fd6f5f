import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, InputError } from "@mine-refine/core";
import { decompress } from "fzstd";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEsci } from "./esci.js";
import { datasetStats } from "./stats.js";
import { type EsciExampleRow, type EsciProductRow, esciExamplesParquet, esciProductsParquet } from "./test/esci-parquet.js";
import { itWithData, makeTempDir, type TempDir } from "./test/fixtures.js";

const SAMPLE_QUERY = "06 bmw 325i radio oem not navigation system";

let dir: TempDir;
beforeAll(async () => {
  dir = await makeTempDir("esci");
});
afterAll(async () => {
  await dir.remove();
});

function samplePaths(dataDir: string): { examplesPath: string; productsPath: string } {
  const folder = join(dataDir, "esci-us-vespa-sample");
  return { examplesPath: join(folder, "test-sample.parquet"), productsPath: join(folder, "sample-products.jsonl.zstd") };
}

let plainFiles = 0;

/** Rewrites the 16 zstd product records of the sample as plain JSON lines in the temp directory. */
async function writePlainProducts(dataDir: string, transform: (line: string, index: number) => string = (line) => line): Promise<string> {
  const text = new TextDecoder().decode(decompress(await readFile(samplePaths(dataDir).productsPath)));
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  plainFiles += 1;
  return dir.write(`products-${plainFiles}.jsonl`, `${lines.map(transform).join("\n")}\n`);
}

describe("loadEsci", () => {
  itWithData("loads the Vespa sample", async (dataDir) => {
    const dataset = await loadEsci(samplePaths(dataDir));
    const stats = datasetStats(dataset);
    expect(stats.products).toBe(16);
    expect(stats.queries).toBe(1);
    expect(stats.judgments).toBe(16);
    // Labels in the sample: E 3, S 6, I 7; S maps to moderate and I to irrelevant.
    expect(stats.judgmentsByGrade[GRADE_RELEVANT]).toBe(3);
    expect(stats.judgmentsByGrade[GRADE_MODERATE]).toBe(6);
    expect(stats.judgmentsByGrade[GRADE_IRRELEVANT]).toBe(7);
  });

  itWithData("maps the query", async (dataDir) => {
    const dataset = await loadEsci(samplePaths(dataDir));
    expect(dataset.queries[0]?.text).toBe(SAMPLE_QUERY);
    expect(dataset.queries[0]?.locale).toBe("en");
    expect(dataset.queries[0]?.id).toMatch(/^esci:us:[0-9a-f]{16}$/);
  });

  itWithData("maps product records", async (dataDir) => {
    const dataset = await loadEsci(samplePaths(dataDir));
    const product = dataset.products.find((item) => item.id === "B08VSJGP1N");
    expect(product?.title.startsWith("Apple Carplay Double Din Car Stereo")).toBe(true);
    expect(product?.locale).toBe("en");
    expect(product?.fields.brand).toBe("Rimoody");
    expect(product?.fields.color).toBe("black");
    expect(product?.fields.description?.length).toBeGreaterThan(0);
    expect(product?.fields.bullets?.length).toBeGreaterThan(0);
  });

  itWithData("omits null product fields", async (dataDir) => {
    const dataset = await loadEsci(samplePaths(dataDir));
    const product = dataset.products.find((item) => item.id === "B08SHMLP5S");
    expect(product?.fields.color).toBeUndefined();
    expect(product?.fields.brand).toBe("podofo");
  });

  itWithData("keeps raw labels", async (dataDir) => {
    const dataset = await loadEsci(samplePaths(dataDir));
    const labels = dataset.judgments.map((judgment) => judgment.rawLabel).sort();
    expect(labels.join("")).toBe("EEEIIIIIIISSSSSS");
  });

  itWithData("applies a custom mapping", async (dataDir) => {
    const mapping = { E: GRADE_RELEVANT, S: GRADE_IRRELEVANT, C: GRADE_MODERATE, I: GRADE_IRRELEVANT } as const;
    const stats = datasetStats(await loadEsci({ ...samplePaths(dataDir), mapping }));
    expect(stats.judgmentsByGrade[GRADE_IRRELEVANT]).toBe(13);
  });

  itWithData("reads plain JSON lines", async (dataDir) => {
    const productsPath = await writePlainProducts(dataDir);
    const dataset = await loadEsci({ examplesPath: samplePaths(dataDir).examplesPath, productsPath });
    expect(dataset.products).toHaveLength(16);
    expect(dataset.judgments).toHaveLength(16);
  });

  itWithData("filters by split", async (dataDir) => {
    const error = await loadEsci({ ...samplePaths(dataDir), split: "train" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe("empty_dataset");
  });

  itWithData("filters by locale", async (dataDir) => {
    const error = await loadEsci({ ...samplePaths(dataDir), locale: "jp" }).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("empty_dataset");
  });

  itWithData("keeps the small version", async (dataDir) => {
    const dataset = await loadEsci({ ...samplePaths(dataDir), locale: "us", split: "test", smallVersion: true });
    expect(dataset.judgments).toHaveLength(16);
    expect(dataset.name).toBe("esci-us");
  });

  itWithData("reports a missing product", async (dataDir) => {
    // Drops the first record (B08VSJGP1N), which the first example row judges.
    const productsPath = await writePlainProducts(dataDir, (line, index) => (index === 0 ? "" : line));
    const error = await loadEsci({ examplesPath: samplePaths(dataDir).examplesPath, productsPath }).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("missing_product");
    expect((error as InputError).location.row).toBe(1);
    expect((error as InputError).message).toContain("B08VSJGP1N");
  });

  itWithData("reports invalid JSON", async (dataDir) => {
    const productsPath = await writePlainProducts(dataDir, (line, index) => (index === 2 ? "{not json" : line));
    const error = await loadEsci({ examplesPath: samplePaths(dataDir).examplesPath, productsPath }).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("invalid_json");
    expect((error as InputError).location.row).toBe(3);
  });

  itWithData("rejects a non-parquet examples file", async (dataDir) => {
    const error = await loadEsci({ examplesPath: samplePaths(dataDir).productsPath, productsPath: samplePaths(dataDir).productsPath }).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("invalid_parquet");
  });

  it("reports a missing examples file", async () => {
    const productsPath = await dir.write("one-product.jsonl", '{"put": "id:commerce:product::A1", "fields": {"id": "A1", "title": "Radio", "locale": "us"}}\n');
    const examplesPath = join(dir.path, "absent.parquet");
    const error = await loadEsci({ examplesPath, productsPath }).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("file_not_found");
    expect((error as InputError).message).toContain(examplesPath);
    expect((error as InputError).message).toContain('"examplesPath"');
  });

  it("rejects an unknown products format", async () => {
    const productsPath = await dir.write("products.csv", "product_id\n");
    const error = await loadEsci({ examplesPath: join(dir.path, "absent.parquet"), productsPath }).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("unsupported_format");
  });

  it("reports an empty product title", async () => {
    const productsPath = await dir.write("untitled.jsonl", '{"put": "id:commerce:product::A1", "fields": {"id": "A1", "title": null, "locale": "us"}}\n');
    const error = await loadEsci({ examplesPath: join(dir.path, "absent.parquet"), productsPath }).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("missing_value");
    expect((error as InputError).location).toEqual({ file: productsPath, row: 1, column: "product_title" });
  });
});

/** A hand-made ESCI release: one product sold in two locales, four labels, both splits. */
const PRODUCTS: EsciProductRow[] = [
  { productId: "B001", title: "Cordless Drill 18V", locale: "us", brand: "Voltra", color: "Black", description: "A drill.", bullets: "Two batteries" },
  { productId: "B002", title: "Drill Bit Set, 20 pieces", locale: "us", brand: "Bitworks" },
  { productId: "B003", title: "Corded Drill", locale: "us" },
  { productId: "B004", title: "Garden Hose 50 ft", locale: "us" },
  { productId: "B001", title: "Taladro inalámbrico 18 V", locale: "es", brand: "Voltra" },
  { productId: "B005", title: "ドリル", locale: "jp" },
];

const EXAMPLES: EsciExampleRow[] = [
  { query: "cordless drill", queryId: 1, productId: "B001", locale: "us", label: "E", split: "train" },
  { query: "cordless drill", queryId: 1, productId: "B003", locale: "us", label: "S", split: "train" },
  { query: "cordless drill", queryId: 1, productId: "B002", locale: "us", label: "C", split: "train", smallVersion: false },
  { query: "cordless drill", queryId: 1, productId: "B004", locale: "us", label: "I", split: "train" },
  { query: "Cordless  Drill", queryId: 2, productId: "B002", locale: "us", label: "C", split: "test" },
  { query: "taladro inalámbrico", queryId: 3, productId: "B001", locale: "es", label: "E", split: "test" },
];

describe("loadEsci with parquet products", () => {
  async function writeRelease(name: string, examples: EsciExampleRow[] = EXAMPLES): Promise<{ examplesPath: string; productsPath: string }> {
    return {
      examplesPath: await dir.write(`${name}-examples.parquet`, esciExamplesParquet(examples)),
      productsPath: await dir.write(`${name}-products.parquet`, esciProductsParquet(PRODUCTS)),
    };
  }

  it("maps labels with the default mapping", async () => {
    const dataset = await loadEsci({ ...(await writeRelease("labels")), locale: "us" });
    expect(dataset.judgments.map((judgment) => `${judgment.rawLabel}${judgment.grade}`)).toEqual(["E2", "S1", "C1", "I0"]);
  });

  it("merges queries by normalised text", async () => {
    const dataset = await loadEsci({ ...(await writeRelease("merge")), locale: "us" });
    expect(dataset.queries).toHaveLength(1);
    expect(dataset.queries[0]?.text).toBe("cordless drill");
  });

  it("keeps every product of the locale", async () => {
    const dataset = await loadEsci({ ...(await writeRelease("catalog")), locale: "us" });
    expect(dataset.products.map((product) => product.id)).toEqual(["B001", "B002", "B003", "B004"]);
  });

  it("maps product columns", async () => {
    const dataset = await loadEsci({ ...(await writeRelease("columns")), locale: "us" });
    expect(dataset.products[0]).toEqual({
      id: "B001",
      title: "Cordless Drill 18V",
      fields: { brand: "Voltra", color: "Black", description: "A drill.", bullets: "Two batteries" },
      locale: "en",
    });
  });

  it("maps the es locale", async () => {
    const dataset = await loadEsci({ ...(await writeRelease("spanish")), locale: "es" });
    expect(dataset.products.map((product) => `${product.id} ${product.locale}`)).toEqual(["B001 es"]);
    expect(dataset.queries[0]?.locale).toBe("es");
  });

  it("maps the jp locale to ja", async () => {
    const examples: EsciExampleRow[] = [{ query: "ドリル", queryId: 4, productId: "B005", locale: "jp", label: "E" }];
    const dataset = await loadEsci({ ...(await writeRelease("japanese", examples)), locale: "jp" });
    expect(dataset.queries[0]?.locale).toBe("ja");
    expect(dataset.products[0]?.locale).toBe("ja");
  });

  it("reports one id in two locales", async () => {
    // B001 has a different title in "us" and "es", so loading every locale is a conflict.
    const error = await loadEsci(await writeRelease("all-locales")).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("conflicting_product");
    expect((error as InputError).location.row).toBe(5);
  });

  it("filters by split", async () => {
    const dataset = await loadEsci({ ...(await writeRelease("split")), locale: "us", split: "test" });
    expect(dataset.judgments).toHaveLength(1);
  });

  it("filters the small version", async () => {
    const dataset = await loadEsci({ ...(await writeRelease("small")), locale: "us", split: "train", smallVersion: true });
    expect(dataset.judgments.map((judgment) => judgment.rawLabel)).toEqual(["E", "S", "I"]);
  });

  it("reports an invalid label", async () => {
    const examples: EsciExampleRow[] = [...EXAMPLES.slice(0, 2), { query: "drill", queryId: 5, productId: "B003", locale: "us", label: "X" }];
    const error = await loadEsci({ ...(await writeRelease("invalid-label", examples)), locale: "us" }).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("invalid_label");
    expect((error as InputError).location).toMatchObject({ row: 3, column: "esci_label" });
    expect((error as InputError).message).toContain('"X"');
  });

  it("reports a missing products column", async () => {
    // An examples file in place of the products file lacks product_title.
    const { examplesPath } = await writeRelease("swapped");
    const error = await loadEsci({ examplesPath, productsPath: examplesPath }).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe("missing_column");
    expect((error as InputError).location.column).toBe("product_title");
    expect((error as InputError).message).toContain("columns found: example_id, query, query_id, product_id");
  });
});
