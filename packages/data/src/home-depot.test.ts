import { ConfigError, GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, InputError, type Logger } from "@mine-refine/core";
import { zipSync } from "fflate";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadHomeDepot } from "./home-depot.js";
import { datasetStats } from "./stats.js";
import { itWithData, makeTempDir, type TempDir } from "./test/fixtures.js";

const HEADER = '"id","product_uid","product_title","search_term","relevance"';

let dir: TempDir;
beforeAll(async () => {
  dir = await makeTempDir("home-depot");
});
afterAll(async () => {
  await dir.remove();
});

/** Writes CSV lines as Latin-1 bytes, as the Kaggle file is encoded. */
function writeCsv(name: string, lines: string[]): Promise<string> {
  return dir.write(name, Buffer.from(`${lines.join("\n")}\n`, "latin1"));
}

async function loadError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("loadHomeDepot", () => {
  it("maps mean ratings to grades", async () => {
    const path = await writeCsv("grades.csv", [
      HEADER,
      '1,100,"Drill","drill",3',
      '2,101,"Drill bit","drill",2.5',
      '3,102,"Screw","drill",2.33',
      '4,103,"Paint","drill",1.75',
      '5,104,"Hose","drill",1.67',
      '6,105,"Lamp","drill",1',
    ]);
    const dataset = await loadHomeDepot({ path });
    expect(dataset.judgments.map((judgment) => judgment.grade)).toEqual([
      GRADE_RELEVANT,
      GRADE_RELEVANT,
      GRADE_MODERATE,
      GRADE_MODERATE,
      GRADE_IRRELEVANT,
      GRADE_IRRELEVANT,
    ]);
  });

  it("applies custom thresholds", async () => {
    const path = await writeCsv("thresholds.csv", [HEADER, '1,100,"Drill","drill",2.33', '2,101,"Lamp","drill",1.67']);
    const dataset = await loadHomeDepot({ path, thresholds: { relevant: 2.3, moderate: 1.5 } });
    expect(dataset.judgments[0]?.grade).toBe(GRADE_RELEVANT);
    expect(dataset.judgments[1]?.grade).toBe(GRADE_MODERATE);
  });

  it("keeps the rating text as raw label", async () => {
    const path = await writeCsv("raw-label.csv", [HEADER, '1,100,"Drill","drill",2.50']);
    const dataset = await loadHomeDepot({ path });
    expect(dataset.judgments[0]?.rawLabel).toBe("2.50");
  });

  it("merges queries by normalised text", async () => {
    const path = await writeCsv("queries.csv", [HEADER, '1,100,"Drill","Cordless  Drill",3', '2,101,"Drill bit","cordless drill",2', '3,102,"Lamp","lamp",1']);
    const dataset = await loadHomeDepot({ path });
    expect(dataset.queries).toHaveLength(2);
    expect(dataset.queries[0]?.text).toBe("Cordless  Drill");
    expect(dataset.queries[0]?.locale).toBe("en");
    expect(dataset.judgments[0]?.queryId).toBe(dataset.judgments[1]?.queryId);
    expect(dataset.judgments[0]?.queryId).toMatch(/^hd:[0-9a-f]{16}$/);
  });

  it("maps products", async () => {
    const path = await writeCsv("products.csv", [HEADER, '1,100,"Drill, 18V","drill",3', '2,100,"Drill, 18V","driver",2']);
    const dataset = await loadHomeDepot({ path });
    expect(dataset.products).toEqual([{ id: "100", title: "Drill, 18V", fields: {}, locale: "en" }]);
    expect(dataset.name).toBe("homedepot");
  });

  it("decodes Latin-1 by default", async () => {
    const path = await writeCsv("latin1.csv", [HEADER, '1,100,"Caf\u00e9 Table","caf\u00e9 table",3']);
    const dataset = await loadHomeDepot({ path });
    expect(dataset.products[0]?.title).toBe("Caf\u00e9 Table");
  });

  it("reads the csv member of a zip", async () => {
    const csv = Buffer.from(`${HEADER}\n1,100,"Drill","drill",3\n`, "latin1");
    const path = await dir.write("train.csv.zip", zipSync({ "train.csv": csv }));
    const dataset = await loadHomeDepot({ path });
    expect(dataset.judgments).toHaveLength(1);
  });

  it("rejects Latin-1 bytes as UTF-8", async () => {
    // Header line plus `1,100,"Caf` is 61 + 10 bytes, so the 0xE9 of "é" sits at byte offset 71.
    const path = await writeCsv("wrong-encoding.csv", [HEADER, '1,100,"Caf\u00e9","cafe",3']);
    const error = await loadError(loadHomeDepot({ path, encoding: "utf-8" }));
    expect(error.code).toBe("invalid_encoding");
    expect(error.message).toContain(path);
    expect(error.message).toContain("byte offset 71");
    expect(error.message).toContain('encoding: "latin1"');
  });

  it("reports a missing file", async () => {
    const path = join(dir.path, "absent.csv.zip");
    const error = await loadError(loadHomeDepot({ path }));
    expect(error.code).toBe("file_not_found");
    expect(error.message).toContain(path);
    expect(error.message).toContain("MINE_REFINE_DATA_DIR");
    expect(error.message).toContain('"path"');
  });

  it("reports a missing column", async () => {
    const path = await writeCsv("missing-column.csv", ['"id","product_uid","product_title","query","relevance"', '1,100,"Drill","drill",3']);
    const error = await loadError(loadHomeDepot({ path }));
    expect(error.code).toBe("missing_column");
    expect(error.location.column).toBe("search_term");
    expect(error.message).toContain("columns found: id, product_uid, product_title, query, relevance");
  });

  it("reports a non-numeric rating", async () => {
    const path = await writeCsv("text-rating.csv", [HEADER, '1,100,"Drill","drill",3', '2,101,"Lamp","drill",high']);
    const error = await loadError(loadHomeDepot({ path }));
    expect(error.code).toBe("invalid_rating");
    expect(error.location).toEqual({ file: path, row: 2, column: "relevance" });
    expect(error.message).toContain('"high"');
  });

  it("reports an out-of-range rating", async () => {
    const path = await writeCsv("range-rating.csv", [HEADER, '1,100,"Drill","drill",3.5']);
    const error = await loadError(loadHomeDepot({ path }));
    expect(error.code).toBe("invalid_rating");
    expect(error.location.row).toBe(1);
    expect(error.message).toContain('"3.5"');
  });

  it("reports an empty dataset", async () => {
    const path = await writeCsv("empty.csv", [HEADER]);
    const error = await loadError(loadHomeDepot({ path }));
    expect(error.code).toBe("empty_dataset");
  });

  it("reports a duplicate id", async () => {
    const path = await writeCsv("duplicate-id.csv", [HEADER, '7,100,"Drill","drill",3', '8,101,"Lamp","lamp",3', '7,102,"Hose","hose",3']);
    const error = await loadError(loadHomeDepot({ path }));
    expect(error.code).toBe("duplicate_id");
    expect(error.location.row).toBe(3);
    expect(error.message).toContain("row 1");
  });

  it("reports a product with two titles", async () => {
    const path = await writeCsv("two-titles.csv", [HEADER, '1,100,"Drill","drill",3', '2,100,"Drill Kit","driver",3']);
    const error = await loadError(loadHomeDepot({ path }));
    expect(error.code).toBe("conflicting_product");
    expect(error.location.row).toBe(2);
    expect(error.message).toContain('"Drill Kit"');
    expect(error.message).toContain("keep-first");
  });

  it("reports a pair with two labels", async () => {
    const path = await writeCsv("two-labels.csv", [HEADER, '1,100,"Drill","fence  mesh",3', '2,100,"Drill","fence mesh",2']);
    const error = await loadError(loadHomeDepot({ path }));
    expect(error.code).toBe("conflicting_judgment");
    expect(error.location.row).toBe(2);
  });

  it("keeps the first row on conflict", async () => {
    const path = await writeCsv("keep-first.csv", [HEADER, '1,100,"Drill","drill",3', '2,100,"Drill Kit","drill",1', '3,101,"Lamp","lamp",2']);
    const warnings: string[] = [];
    const logger: Logger = {
      log(level, message) {
        if (level === "warn") warnings.push(message);
      },
    };
    const dataset = await loadHomeDepot({ path, onConflict: "keep-first", logger });
    expect(dataset.products.find((product) => product.id === "100")?.title).toBe("Drill");
    expect(dataset.judgments).toHaveLength(2);
    expect(dataset.judgments[0]?.rawLabel).toBe("3");
    expect(warnings).toHaveLength(2);
  });

  it("rejects inverted thresholds", async () => {
    const path = await writeCsv("inverted.csv", [HEADER, '1,100,"Drill","drill",3']);
    await expect(loadHomeDepot({ path, thresholds: { relevant: 1.5, moderate: 2 } })).rejects.toBeInstanceOf(ConfigError);
  });

  // Expected counts come from reading train.csv once with Python's csv module (Latin-1), grading each
  // row with the default thresholds (>= 2.5 relevant, >= 1.75 moderate) and dropping the 5 later rows
  // of (normalised search term, product) pairs rated twice: 3 of them relevant and 1 each moderate and
  // irrelevant. The raw file has 11,795 distinct search terms; "fence  mesh" and "slide  bolt" (two
  // spaces) normalise onto "fence mesh" and "slide bolt", leaving 11,793 queries.
  itWithData(
    "loads the real Kaggle zip",
    async (dataDir) => {
      const dataset = await loadHomeDepot({ path: join(dataDir, "homedepot-kaggle", "train.csv.zip"), onConflict: "keep-first" });
      const stats = datasetStats(dataset);
      expect(stats.products).toBe(54_667);
      expect(stats.queries).toBe(11_793);
      expect(stats.judgments).toBe(74_062);
      expect(stats.judgmentsByGrade[GRADE_RELEVANT]).toBe(34_354);
      expect(stats.judgmentsByGrade[GRADE_MODERATE]).toBe(27_809);
      expect(stats.judgmentsByGrade[GRADE_IRRELEVANT]).toBe(11_899);
    },
    30_000,
  );

  itWithData(
    "stops at the first real conflict",
    async (dataDir) => {
      const error = await loadError(loadHomeDepot({ path: join(dataDir, "homedepot-kaggle", "train.csv.zip") }));
      expect(error.code).toBe("conflicting_product");
      expect(error.location.row).toBe(985);
    },
    30_000,
  );
});
