import {
  ConfigError,
  type ConfigIssue,
  type Dataset,
  GRADE_IRRELEVANT,
  GRADE_MODERATE,
  GRADE_RELEVANT,
  type Grade,
  InputError,
  type Logger,
  normalizeText,
  silentLogger,
  stableId64,
} from "@mine-refine/core";
import { findColumns, parseCsvTable } from "./csv-table.js";
import { type ConflictPolicy, DatasetBuilder } from "./dataset-builder.js";
import { decodeText, readInputBytes, type TextEncodingName, unzipCsvMember } from "./read-input.js";

/** Mean-rating cut-offs on the Home Depot 1..3 scale. */
export interface HomeDepotThresholds {
  /** A mean rating at or above this is `GRADE_RELEVANT`. Default 2.5. */
  relevant: number;
  /** A mean rating at or above this, and below `relevant`, is `GRADE_MODERATE`. Default 1.75. */
  moderate: number;
}

export interface HomeDepotOptions {
  /** The Kaggle `train.csv.zip` (one member `train.csv`) or a plain `.csv` with the same columns. */
  path: string;
  thresholds?: HomeDepotThresholds;
  /** Default "latin1", because the Kaggle file is ISO-8859-1. "utf-8" decodes strictly. */
  encoding?: TextEncodingName;
  /** Default "error". The Kaggle train file needs "keep-first" (see `ConflictPolicy`). */
  onConflict?: ConflictPolicy;
  logger?: Logger;
}

export const HOME_DEPOT_DEFAULT_THRESHOLDS: Readonly<HomeDepotThresholds> = { relevant: 2.5, moderate: 1.75 };

/** The rating scale of the Kaggle raters: 1 not relevant, 2 somewhat relevant, 3 highly relevant. */
const MIN_RATING = 1;
const MAX_RATING = 3;

const COLUMNS = { id: "id", productUid: "product_uid", productTitle: "product_title", searchTerm: "search_term", relevance: "relevance" };

/**
 * Loads the Kaggle Home Depot Product Search Relevance training file. Each row is one judged pair;
 * `relevance` is the mean of at least three raters on 1..3 and maps to a grade by `thresholds`.
 * Queries with the same normalised text share the id `"hd:" + stableId64(normalizeText(text))` and
 * keep the first text seen. Row numbers in errors count data rows from 1, the header not counted.
 */
export async function loadHomeDepot(options: HomeDepotOptions): Promise<Dataset> {
  const thresholds = options.thresholds ?? HOME_DEPOT_DEFAULT_THRESHOLDS;
  validateThresholds(thresholds);
  const file = options.path;
  const logger = options.logger ?? silentLogger;

  let bytes = await readInputBytes(file, "path");
  // Byte offsets in encoding errors refer to the extracted member, so that error names it.
  let decodedFile = file;
  if (file.toLowerCase().endsWith(".zip")) {
    const member = unzipCsvMember(bytes, file);
    bytes = member.bytes;
    decodedFile = `${file} (member ${member.name})`;
  }
  // NOTE: some Kaggle titles carry mojibake from the original export, such as "30å¡" where "30°"
  // was meant. The loader keeps the text as written and does not try to repair it.
  const table = parseCsvTable(decodeText(bytes, options.encoding ?? "latin1", decodedFile), file);
  const column = findColumns(table.header, COLUMNS, file, "Expected the columns of the Kaggle train.csv: id, product_uid, product_title, search_term, relevance");

  const builder = new DatasetBuilder("homedepot", options.onConflict ?? "error", logger);
  const rowIds = new Map<string, number>();

  table.rows.forEach((fields, index) => {
    const row = index + 1;
    const id = fields[column.id]!;
    const firstRow = rowIds.get(id);
    if (firstRow !== undefined) {
      throw new InputError("duplicate_id", { file, row, column: COLUMNS.id }, `the id "${id}" already appeared on row ${firstRow}`, "Each row needs its own id; remove the repeated row");
    }
    rowIds.set(id, row);

    const rawLabel = fields[column.relevance]!.trim();
    const rating = Number(rawLabel);
    if (rawLabel === "" || !Number.isFinite(rating) || rating < MIN_RATING || rating > MAX_RATING) {
      throw new InputError(
        "invalid_rating",
        { file, row, column: COLUMNS.relevance },
        `expected a mean rating from ${MIN_RATING} to ${MAX_RATING}, received "${rawLabel}"`,
        "Fix or remove the row",
      );
    }

    const productId = fields[column.productUid]!.trim();
    const searchTerm = fields[column.searchTerm]!;
    const queryId = `hd:${stableId64(normalizeText(searchTerm))}`;
    builder.addProduct({ id: productId, title: fields[column.productTitle]!, fields: {}, locale: "en" }, { file, row, column: COLUMNS.productTitle });
    builder.addQuery({ id: queryId, text: searchTerm, locale: "en" });
    builder.addJudgment({ queryId, productId, grade: gradeForRating(rating, thresholds), rawLabel }, { file, row, column: COLUMNS.relevance });
  });

  const dataset = builder.build(file, "Expected one row per judged (search_term, product) pair after the header");
  logger.log("info", "Loaded the Home Depot data set", { file, products: dataset.products.length, queries: dataset.queries.length, judgments: dataset.judgments.length });
  return dataset;
}

/** Maps a mean rating on 1..3 to a grade. */
export function gradeForRating(rating: number, thresholds: HomeDepotThresholds = HOME_DEPOT_DEFAULT_THRESHOLDS): Grade {
  if (rating >= thresholds.relevant) return GRADE_RELEVANT;
  if (rating >= thresholds.moderate) return GRADE_MODERATE;
  return GRADE_IRRELEVANT;
}

function validateThresholds(thresholds: HomeDepotThresholds): void {
  const issues: ConfigIssue[] = [];
  for (const key of ["relevant", "moderate"] as const) {
    const value = thresholds[key];
    if (!Number.isFinite(value) || value < MIN_RATING || value > MAX_RATING) {
      issues.push({ path: `thresholds.${key}`, message: `expected a rating from ${MIN_RATING} to ${MAX_RATING}, received ${value}` });
    }
  }
  if (issues.length === 0 && thresholds.moderate > thresholds.relevant) {
    issues.push({ path: "thresholds.moderate", message: `must not exceed thresholds.relevant (${thresholds.relevant}), received ${thresholds.moderate}` });
  }
  if (issues.length > 0) throw new ConfigError("loadHomeDepot options", issues);
}
