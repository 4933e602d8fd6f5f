import { basename } from "node:path";
import { type Dataset, type Grade, InputError, type InputLocation, isGrade, type Logger, normalizeText, type Product, silentLogger, stableId64 } from "@mine-refine/core";
import { findColumns, parseCsvTable } from "./csv-table.js";
import { type ConflictPolicy, DatasetBuilder } from "./dataset-builder.js";
import { decodeText, readInputBytes, type TextEncodingName } from "./read-input.js";

/** Column names the generic adapter reads; `queryId` and `locale` are optional in the file. */
export interface GenericColumns {
  query: string;
  productId: string;
  title: string;
  grade: string;
  queryId: string;
  locale: string;
}

export interface GenericOptions {
  /** A UTF-8 `.csv` file with a header line, or a `.jsonl` file with one JSON object a line. */
  path: string;
  /** Dataset name. Default: the file name without its extension. */
  name?: string;
  /** Renames of the default columns `query`, `product_id`, `title`, `grade`, `query_id`, `locale`. */
  columns?: Partial<GenericColumns>;
  /** Further columns copied into `Product.fields` under the same name. Empty values are left out. */
  productFields?: string[];
  /** Grade of each string label, such as `{ E: 2, S: 1, C: 1, I: 0 }`. Without it a grade must be 0, 1 or 2. */
  gradeMapping?: Record<string, Grade>;
  /** Default "error". See `ConflictPolicy`. */
  onConflict?: ConflictPolicy;
  /** Text encoding of the file. Default "utf-8"; "latin1" reads ISO-8859-1 (as windows-1252). */
  encoding?: TextEncodingName;
  logger?: Logger;
}

export const GENERIC_DEFAULT_COLUMNS: Readonly<GenericColumns> = {
  query: "query",
  productId: "product_id",
  title: "title",
  grade: "grade",
  queryId: "query_id",
  locale: "locale",
};

/** A value read from one row and column: CSV gives strings, JSON lines may give numbers or null. */
type CellReader = (column: string) => unknown;

/**
 * Loads one judged (query, product) pair per row from CSV or JSON lines. Without a `query_id` column,
 * queries get the id `"q:" + stableId64(normalizeText(query))`. The `locale` column, when present,
 * sets the locale of both the query and the product. Row numbers in errors count data rows from 1:
 * the CSV header is not counted, and JSON lines count every line, blank ones included.
 */
export async function loadGeneric(options: GenericOptions): Promise<Dataset> {
  const file = options.path;
  const logger = options.logger ?? silentLogger;
  const columns: GenericColumns = { ...GENERIC_DEFAULT_COLUMNS, ...options.columns };
  const productFields = options.productFields ?? [];
  const lower = file.toLowerCase();
  if (!lower.endsWith(".csv") && !lower.endsWith(".jsonl")) {
    throw new InputError("unsupported_format", { file }, "the file name does not end in .csv or .jsonl", "Convert the file to UTF-8 CSV with a header line, or to JSON lines");
  }
  const text = decodeText(await readInputBytes(file, "path"), options.encoding ?? "utf-8", file);
  const name = options.name ?? basename(file).replace(/\.(csv|jsonl)$/i, "");
  const builder = new DatasetBuilder(name, options.onConflict ?? "error", logger);

  const addRow = (read: CellReader, row: number): void => {
    const location = (column: string): InputLocation => ({ file, row, column });
    const queryText = requiredCell(read(columns.query), location(columns.query));
    const productId = requiredCell(read(columns.productId), location(columns.productId));
    const title = requiredCell(read(columns.title), location(columns.title));
    const rawLabel = requiredCell(read(columns.grade), location(columns.grade));
    const grade = parseGrade(rawLabel, options.gradeMapping, location(columns.grade));
    const locale = optionalCell(read(columns.locale));
    const queryId = optionalCell(read(columns.queryId)) ?? `q:${stableId64(normalizeText(queryText))}`;

    const fields: Record<string, string> = {};
    for (const field of productFields) {
      const value = optionalCell(read(field));
      if (value !== undefined) fields[field] = value;
    }
    const product: Product = { id: productId, title, fields };
    if (locale !== undefined) product.locale = locale;
    builder.addProduct(product, location(columns.title));
    builder.addQuery(locale === undefined ? { id: queryId, text: queryText } : { id: queryId, text: queryText, locale });
    builder.addJudgment({ queryId, productId, grade, rawLabel }, location(columns.grade));
  };

  if (lower.endsWith(".csv")) {
    const table = parseCsvTable(text, file);
    // Both calls only check that the columns exist, because cells are then looked up by name.
    const hint = "Name the column with the option columns, or rename it in the file";
    findColumns(table.header, { query: columns.query, productId: columns.productId, title: columns.title, grade: columns.grade }, file, hint);
    findColumns(table.header, Object.fromEntries(productFields.map((field) => [field, field])), file, "Remove it from productFields or add the column");
    const indexOf = new Map<string, number>(table.header.map((column, index) => [column, index]));
    table.rows.forEach((cells, index) => {
      addRow((column) => {
        const at = indexOf.get(column);
        return at === undefined ? undefined : cells[at];
      }, index + 1);
    });
  } else {
    const requiredColumns = [columns.query, columns.productId, columns.title, columns.grade];
    text.split("\n").forEach((line, index) => {
      if (line.trim() === "") return;
      const row = index + 1;
      const object = parseJsonObject(line, file, row);
      for (const column of requiredColumns) {
        if (!(column in object)) {
          throw new InputError("missing_column", { file, row, column }, `the key is missing (keys found: ${Object.keys(object).join(", ")})`, "Name the key with the option columns, or add it to the row");
        }
      }
      addRow((column) => object[column], row);
    });
  }

  const dataset = builder.build(file, "Expected one row per judged (query, product) pair");
  logger.log("info", "Loaded a generic data set", { file, products: dataset.products.length, queries: dataset.queries.length, judgments: dataset.judgments.length });
  return dataset;
}

function parseGrade(rawLabel: string, mapping: Record<string, Grade> | undefined, location: InputLocation): Grade {
  if (mapping !== undefined) {
    const grade = Object.hasOwn(mapping, rawLabel) ? mapping[rawLabel] : undefined;
    if (grade !== undefined) return grade;
    throw new InputError("invalid_grade", location, `the label "${rawLabel}" is not in gradeMapping (labels: ${Object.keys(mapping).join(", ")})`, "Add the label to gradeMapping or fix the row");
  }
  const grade = Number(rawLabel);
  if (isGrade(grade)) return grade;
  throw new InputError("invalid_grade", location, `expected a grade of 0, 1 or 2, received "${rawLabel}"`, "Fix the row, or pass gradeMapping to map string labels to grades");
}

function parseJsonObject(line: string, file: string, row: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new InputError("invalid_json", { file, row }, `the line is not valid JSON (${(error as Error).message})`, "Each line must be one JSON object", { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError("invalid_json", { file, row }, "expected a JSON object", "Each line must be one JSON object");
  }
  return value as Record<string, unknown>;
}

function optionalCell(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === "" ? undefined : text;
}

function requiredCell(value: unknown, location: InputLocation): string {
  const text = optionalCell(value);
  if (text === undefined) throw new InputError("missing_value", location, "the value is empty", "Every row needs this value; fix or remove the row");
  return text;
}
