import {
  type Dataset,
  GRADE_IRRELEVANT,
  GRADE_MODERATE,
  GRADE_RELEVANT,
  type Grade,
  InputError,
  type Logger,
  normalizeText,
  type Product,
  silentLogger,
  stableId64,
} from "@mine-refine/core";
import { type ConflictPolicy, DatasetBuilder } from "./dataset-builder.js";
import { readParquetRows } from "./parquet-rows.js";
import { decodeText, readInputBytes, unzstd } from "./read-input.js";

/** The four ESCI labels: Exact, Substitute, Complement, Irrelevant. */
export type EsciLabel = "E" | "S" | "C" | "I";

export interface EsciOptions {
  /** The examples parquet (`shopping_queries_dataset_examples.parquet` or a file with its columns). */
  examplesPath: string;
  /** Product records: ESCI's products parquet, or Vespa feed JSON lines (`.jsonl`, `.jsonl.zst`, `.jsonl.zstd`). */
  productsPath: string;
  /** Keeps only examples and products of this ESCI locale ("us", "es" or "jp"). Default: every locale. */
  locale?: string;
  /** Keeps only examples of this ESCI split. Default: both. */
  split?: "train" | "test";
  /** Keeps only examples whose `small_version` flag is 1. Default false. */
  smallVersion?: boolean;
  /** Grade of each label. Default E→relevant, S→moderate, C→moderate, I→irrelevant. */
  mapping?: Record<EsciLabel, Grade>;
  /** Default "error". See `ConflictPolicy`. */
  onConflict?: ConflictPolicy;
  logger?: Logger;
}

export const ESCI_DEFAULT_MAPPING: Readonly<Record<EsciLabel, Grade>> = {
  E: GRADE_RELEVANT,
  S: GRADE_MODERATE,
  C: GRADE_MODERATE,
  I: GRADE_IRRELEVANT,
};

/** BCP 47 language of each ESCI locale. Other locale values pass through unchanged. */
const LANGUAGE_OF_ESCI_LOCALE: Readonly<Record<string, string>> = { us: "en", es: "es", jp: "ja" };

const EXAMPLE_COLUMNS = ["query", "product_id", "product_locale", "esci_label", "small_version", "split"];
const PRODUCT_COLUMNS = ["product_id", "product_title", "product_description", "product_bullet_point", "product_brand", "product_color", "product_locale"];

/** One product record before mapping, in ESCI's column names. */
interface EsciProductRecord {
  product_id: unknown;
  product_title: unknown;
  product_description: unknown;
  product_bullet_point: unknown;
  product_brand: unknown;
  product_color: unknown;
  product_locale: unknown;
}

/**
 * Loads the Amazon Shopping Queries (ESCI) data set. Queries get the id
 * `"esci:" + locale + ":" + stableId64(normalizeText(query))`, so equal normalised texts of one locale
 * share an id. The catalog is every product record of the selected locale, judged or not.
 * Row numbers in errors are 1-based: parquet rows in file order, JSON lines by line number.
 */
export async function loadEsci(options: EsciOptions): Promise<Dataset> {
  const logger = options.logger ?? silentLogger;
  const mapping = options.mapping ?? ESCI_DEFAULT_MAPPING;
  const builder = new DatasetBuilder(options.locale === undefined ? "esci" : `esci-${options.locale}`, options.onConflict ?? "error", logger);

  const productRecords = await readProductRecords(options.productsPath);
  productRecords.forEach((record, index) => {
    const row = index + 1;
    const file = options.productsPath;
    const locale = optionalText(record.product_locale);
    if (options.locale !== undefined && locale !== options.locale) return;
    const id = requiredText(record.product_id, { file, row, column: "product_id" });
    const title = requiredText(record.product_title, { file, row, column: "product_title" });
    builder.addProduct(toProduct(id, title, record, locale), { file, row, column: "product_title" });
  });

  const file = options.examplesPath;
  const examples = await readParquetRows(await readInputBytes(file, "examplesPath"), EXAMPLE_COLUMNS, file, "Expected the ESCI examples schema");
  let keptExamples = 0;
  examples.forEach((example, index) => {
    const row = index + 1;
    const locale = requiredText(example.product_locale, { file, row, column: "product_locale" });
    if (options.locale !== undefined && locale !== options.locale) return;
    if (options.split !== undefined && example.split !== options.split) return;
    if (options.smallVersion === true && Number(example.small_version) !== 1) return;
    keptExamples += 1;

    const rawLabel = requiredText(example.esci_label, { file, row, column: "esci_label" });
    const grade = mapping[rawLabel as EsciLabel];
    if (grade === undefined) {
      throw new InputError("invalid_label", { file, row, column: "esci_label" }, `expected one of E, S, C, I, received "${rawLabel}"`, "Fix the row or check that the file is an ESCI examples file");
    }
    const productId = requiredText(example.product_id, { file, row, column: "product_id" });
    if (!builder.hasProduct(productId)) {
      throw new InputError(
        "missing_product",
        { file, row, column: "product_id" },
        `the product "${productId}" is not in ${options.productsPath}`,
        "Use a products file from the same ESCI release that covers this locale",
      );
    }
    const text = requiredText(example.query, { file, row, column: "query" });
    const queryId = `esci:${locale}:${stableId64(normalizeText(text))}`;
    builder.addQuery({ id: queryId, text, locale: LANGUAGE_OF_ESCI_LOCALE[locale] ?? locale });
    builder.addJudgment({ queryId, productId, grade, rawLabel }, { file, row, column: "esci_label" });
  });

  const dataset = builder.build(file, "No example row matched the locale, split and smallVersion options; check them against the file");
  logger.log("info", "Loaded the ESCI data set", { file, examplesKept: keptExamples, products: dataset.products.length, queries: dataset.queries.length, judgments: dataset.judgments.length });
  return dataset;
}

/** Reads product records from ESCI's products parquet or from JSON lines, in ESCI's column names. */
async function readProductRecords(path: string): Promise<EsciProductRecord[]> {
  const lower = path.toLowerCase();
  const bytes = await readInputBytes(path, "productsPath");
  if (lower.endsWith(".parquet")) {
    const rows = await readParquetRows(bytes, PRODUCT_COLUMNS, path, "Expected the ESCI products schema");
    return rows as unknown as EsciProductRecord[];
  }
  if (lower.endsWith(".jsonl")) return parseProductLines(decodeText(bytes, "utf-8", path), path);
  if (lower.endsWith(".jsonl.zst") || lower.endsWith(".jsonl.zstd")) return parseProductLines(decodeText(unzstd(bytes, path), "utf-8", path), path);
  throw new InputError("unsupported_format", { file: path }, "the file name does not end in .parquet, .jsonl, .jsonl.zst or .jsonl.zstd", "Pass ESCI's products parquet or Vespa feed JSON lines");
}

/**
 * Parses JSON lines of Vespa feed operations `{"put": ..., "fields": {id, title, description,
 * bullets, brand, color, locale}}`. A line without `fields` is read as a flat record in ESCI's column
 * names. Blank lines are skipped but still counted in row numbers.
 */
function parseProductLines(text: string, file: string): EsciProductRecord[] {
  const records: EsciProductRecord[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError("invalid_json", { file, row: index + 1 }, `the line is not valid JSON (${(error as Error).message})`, "Each line must be one JSON object", { cause: error });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new InputError("invalid_json", { file, row: index + 1 }, "expected a JSON object", "Each line must be one JSON object");
    }
    const object = value as Record<string, unknown>;
    const fields = object.fields;
    if (typeof fields === "object" && fields !== null) {
      const vespa = fields as Record<string, unknown>;
      records.push({
        product_id: vespa.id,
        product_title: vespa.title,
        product_description: vespa.description,
        product_bullet_point: vespa.bullets,
        product_brand: vespa.brand,
        product_color: vespa.color,
        product_locale: vespa.locale,
      });
    } else {
      records.push(object as unknown as EsciProductRecord);
    }
  });
  return records;
}

/** Maps a record to a product. Null or empty text fields are left out of `fields`. */
function toProduct(id: string, title: string, record: EsciProductRecord, locale: string | undefined): Product {
  const fields: Record<string, string> = {};
  const optional: Array<[string, unknown]> = [
    ["brand", record.product_brand],
    ["color", record.product_color],
    ["description", record.product_description],
    ["bullets", record.product_bullet_point],
  ];
  for (const [name, value] of optional) {
    const text = optionalText(value);
    if (text !== undefined) fields[name] = text;
  }
  const product: Product = { id, title, fields };
  if (locale !== undefined) product.locale = LANGUAGE_OF_ESCI_LOCALE[locale] ?? locale;
  return product;
}

function optionalText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  return text === "" ? undefined : text;
}

function requiredText(value: unknown, location: { file: string; row: number; column: string }): string {
  const text = optionalText(value);
  if (text === undefined) {
    throw new InputError("missing_value", location, "the value is empty", "Every row needs this value; fix or remove the row");
  }
  return text;
}
