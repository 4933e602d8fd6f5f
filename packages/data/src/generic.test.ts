import { join } from "node:path";
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, InputError } from "@mine-refine/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadGeneric } from "./generic.js";
import { makeTempDir, type TempDir } from "./test/fixtures.js";

let dir: TempDir;
beforeAll(async () => {
  dir = await makeTempDir("generic");
});
afterAll(async () => {
  await dir.remove();
});

async function loadError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const jsonl = (rows: object[]): string => `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`;

describe("loadGeneric", () => {
  it("reads csv with default columns", async () => {
    const path = await dir.write("pairs.csv", 'query,product_id,title,grade\ndrill,p1,"Drill, 18V",2\ndrill,p2,Drill bits,1\nlamp,p3,Hose,0\n');
    const dataset = await loadGeneric({ path });
    expect(dataset.name).toBe("pairs");
    expect(dataset.products.map((product) => product.title)).toEqual(["Drill, 18V", "Drill bits", "Hose"]);
    expect(dataset.queries).toHaveLength(2);
    expect(dataset.judgments.map((judgment) => judgment.grade)).toEqual([GRADE_RELEVANT, GRADE_MODERATE, GRADE_IRRELEVANT]);
  });

  it("derives query ids from normalised text", async () => {
    const path = await dir.write("normalised.csv", "query,product_id,title,grade\nPower  Drill,p1,Drill,2\npower drill,p2,Bits,1\n");
    const dataset = await loadGeneric({ path });
    expect(dataset.queries).toHaveLength(1);
    expect(dataset.queries[0]?.id).toMatch(/^q:[0-9a-f]{16}$/);
  });

  it("reads jsonl with numbers", async () => {
    const path = await dir.write("pairs.jsonl", jsonl([{ query: "drill", product_id: 7, title: "Drill", grade: 2 }, { query: "drill", product_id: 8, title: "Lamp", grade: 0 }]));
    const dataset = await loadGeneric({ path });
    expect(dataset.products.map((product) => product.id)).toEqual(["7", "8"]);
    expect(dataset.judgments[0]?.rawLabel).toBe("2");
  });

  it("uses query_id and locale", async () => {
    const path = await dir.write("ids.jsonl", jsonl([{ query: "taladro", query_id: "q-17", product_id: "p1", title: "Taladro", grade: 2, locale: "es" }]));
    const dataset = await loadGeneric({ path });
    expect(dataset.queries).toEqual([{ id: "q-17", text: "taladro", locale: "es" }]);
    expect(dataset.products[0]?.locale).toBe("es");
  });

  it("renames columns", async () => {
    const path = await dir.write("renamed.csv", "search,sku,name,label\ndrill,p1,Drill,2\n");
    const dataset = await loadGeneric({ path, columns: { query: "search", productId: "sku", title: "name", grade: "label" } });
    expect(dataset.judgments).toEqual([{ queryId: dataset.queries[0]?.id, productId: "p1", grade: GRADE_RELEVANT, rawLabel: "2" }]);
  });

  it("copies product fields", async () => {
    const path = await dir.write("fields.csv", "query,product_id,title,grade,brand,color\ndrill,p1,Drill,2,Voltra,\n");
    const dataset = await loadGeneric({ path, productFields: ["brand", "color"] });
    expect(dataset.products[0]?.fields).toEqual({ brand: "Voltra" });
  });

  it("maps string labels", async () => {
    const path = await dir.write("labels.jsonl", jsonl([{ query: "drill", product_id: "p1", title: "Drill", grade: "E" }, { query: "drill", product_id: "p2", title: "Bits", grade: "C" }]));
    const dataset = await loadGeneric({ path, gradeMapping: { E: GRADE_RELEVANT, S: GRADE_MODERATE, C: GRADE_MODERATE, I: GRADE_IRRELEVANT } });
    expect(dataset.judgments.map((judgment) => `${judgment.rawLabel}${judgment.grade}`)).toEqual(["E2", "C1"]);
  });

  it("reports a label outside the mapping", async () => {
    const path = await dir.write("unmapped.jsonl", jsonl([{ query: "drill", product_id: "p1", title: "Drill", grade: "X" }]));
    const error = await loadError(loadGeneric({ path, gradeMapping: { E: GRADE_RELEVANT } }));
    expect(error.code).toBe("invalid_grade");
    expect(error.message).toContain('"X"');
  });

  it("reports a grade outside 0..2", async () => {
    const path = await dir.write("grade-3.csv", "query,product_id,title,grade\ndrill,p1,Drill,2\ndrill,p2,Lamp,3\n");
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("invalid_grade");
    expect(error.location).toEqual({ file: path, row: 2, column: "grade" });
  });

  it("reports invalid UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from("query,product_id,title,grade\ncaf"), Buffer.from([0xe9]), Buffer.from(",p1,Cafe,2\n")]);
    const path = await dir.write("latin1.csv", bytes);
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("invalid_encoding");
    // The header line is 29 bytes and "caf" 3 more, so 0xE9 sits at byte offset 32.
    expect(error.message).toContain("byte offset 32");
  });

  it("reports a missing csv column", async () => {
    const path = await dir.write("no-title.csv", "query,product_id,grade\ndrill,p1,2\n");
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("missing_column");
    expect(error.location.column).toBe("title");
    expect(error.message).toContain("columns found: query, product_id, grade");
  });

  it("reports a missing product field column", async () => {
    const path = await dir.write("no-brand.csv", "query,product_id,title,grade\ndrill,p1,Drill,2\n");
    const error = await loadError(loadGeneric({ path, productFields: ["brand"] }));
    expect(error.code).toBe("missing_column");
    expect(error.location.column).toBe("brand");
  });

  it("reports a missing jsonl key", async () => {
    const path = await dir.write("no-grade.jsonl", jsonl([{ query: "drill", product_id: "p1", title: "Drill", grade: 2 }, { query: "drill", product_id: "p2", title: "Bits" }]));
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("missing_column");
    expect(error.location).toEqual({ file: path, row: 2, column: "grade" });
    expect(error.message).toContain("keys found: query, product_id, title");
  });

  it("reports an empty value", async () => {
    const path = await dir.write("empty-query.csv", "query,product_id,title,grade\n ,p1,Drill,2\n");
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("missing_value");
    expect(error.location.column).toBe("query");
  });

  it("reports invalid JSON", async () => {
    const path = await dir.write("broken.jsonl", '{"query": "drill", "product_id": "p1", "title": "Drill", "grade": 2}\n\n{"query": \n');
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("invalid_json");
    expect(error.location.row).toBe(3);
  });

  it("reports a ragged csv row", async () => {
    const path = await dir.write("ragged.csv", "query,product_id,title,grade\ndrill,p1,Drill,2\ndrill,p2,Bits\n");
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("invalid_csv");
    expect(error.location.row).toBe(2);
  });

  it("reports an empty file", async () => {
    const path = await dir.write("empty.jsonl", "");
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("empty_dataset");
  });

  it("reports a pair with two labels", async () => {
    const path = await dir.write("two-labels.csv", "query,product_id,title,grade\ndrill,p1,Drill,2\nDrill,p1,Drill,1\n");
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("conflicting_judgment");
    expect(error.location.row).toBe(2);
  });

  it("drops a repeated pair with one label", async () => {
    const path = await dir.write("repeat.csv", "query,product_id,title,grade\ndrill,p1,Drill,2\ndrill,p1,Drill,2\n");
    const dataset = await loadGeneric({ path });
    expect(dataset.judgments).toHaveLength(1);
  });

  it("reports a product with two titles", async () => {
    const path = await dir.write("two-titles.jsonl", jsonl([{ query: "drill", product_id: "p1", title: "Drill", grade: 2 }, { query: "lamp", product_id: "p1", title: "Lamp", grade: 0 }]));
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("conflicting_product");
    expect(error.location).toEqual({ file: path, row: 2, column: "title" });
  });

  it("reports a missing file", async () => {
    const path = join(dir.path, "absent.jsonl");
    const error = await loadError(loadGeneric({ path }));
    expect(error.code).toBe("file_not_found");
    expect(error.message).toContain(path);
  });

  it("rejects other extensions", async () => {
    const error = await loadError(loadGeneric({ path: join(dir.path, "pairs.tsv") }));
    expect(error.code).toBe("unsupported_format");
  });
});
