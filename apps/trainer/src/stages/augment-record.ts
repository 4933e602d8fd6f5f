import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Grade, InputError, InternalError, isGrade, type Judgment, type Query } from "@mine-refine/core";
import type { TrainConfig } from "../config/schema.js";
import { writeAtomic } from "../run/run-directory.js";
import { type PreparedData, prepareData } from "./data.js";

/** Origin of an added query: a misspelled copy or a synthetic query. */
export type AddedQueryKind = "typo" | "synthetic";

/** A query the augment stage added to the training split. */
export interface AddedQuery {
  id: string;
  text: string;
  locale?: string;
  kind: AddedQueryKind;
  /** The clean training query a typo copy was made from. */
  sourceQueryId?: string;
  /** The product a synthetic query was written for (the first one, when two products led to the same text). */
  sourceProductId?: string;
  /** The template that wrote a synthetic query. */
  template?: string;
}

/** A judgment of an added query: a copied human grade, or a judge's grade of a synthetic pair. */
export interface AddedJudgment extends Judgment {
  kind: AddedQueryKind;
  /** Judge confidence of a synthetic grade. */
  confidence?: number;
  judgeId?: string;
}

/** A training query whose text "replace" mode swapped for a misspelling. */
export interface ReplacedQuery {
  id: string;
  text: string;
  originalText: string;
}

/** Everything the augment stage changes in the data, as written to its folder. */
export interface AugmentationRecord {
  queries: AddedQuery[];
  judgments: AddedJudgment[];
  replaced: ReplacedQuery[];
}

const QUERIES_FILE = "queries.jsonl";
const JUDGMENTS_FILE = "judgments.jsonl";
const REPLACED_FILE = "replaced-queries.jsonl";

/** Prefix of the ids that `syntheticQueryId` of the data package writes. */
const SYNTHETIC_ID_PREFIX = "syn:";

/** Tells synthetic queries (judge-graded template queries) from real ones and their typo copies. */
export function isSyntheticQueryId(queryId: string): boolean {
  return queryId.startsWith(SYNTHETIC_ID_PREFIX);
}

/** Sampler options that cap synthetic queries per batch, or none when synthetic queries are off. */
export function syntheticShareCap(config: TrainConfig): { isSynthetic?: (queryId: string) => boolean; maxSyntheticShare?: number } {
  const synthetic = config.augmentation.synthetic;
  return synthetic.enabled ? { isSynthetic: isSyntheticQueryId, maxSyntheticShare: synthetic.maxShare } : {};
}

/** Writes the record as three JSON Lines files into the stage folder. */
export async function writeAugmentationRecord(dir: string, record: AugmentationRecord): Promise<void> {
  await writeJsonLines(path.join(dir, QUERIES_FILE), record.queries);
  await writeJsonLines(path.join(dir, JUDGMENTS_FILE), record.judgments);
  await writeJsonLines(path.join(dir, REPLACED_FILE), record.replaced);
}

/** Reads the record that `writeAugmentationRecord` wrote, checking each row's fields. */
export async function readAugmentationRecord(dir: string): Promise<AugmentationRecord> {
  const queries = await readJsonLines<AddedQuery>(path.join(dir, QUERIES_FILE), checkQuery);
  const judgments = await readJsonLines<AddedJudgment>(path.join(dir, JUDGMENTS_FILE), checkJudgment);
  const replaced = await readJsonLines<ReplacedQuery>(path.join(dir, REPLACED_FILE), checkReplaced);
  return { queries, judgments, replaced };
}

/**
 * Applies a record to the prepared data: replaces the texts of replaced queries, appends the added
 * queries and judgments, and adds the new query ids to the training split. Dev and test stay as
 * they are. Raises an `InternalError` when the record does not fit the data, for example an added id
 * that already exists or a judgment of a product outside the catalog.
 */
export function applyAugmentation(prepared: PreparedData, record: AugmentationRecord): PreparedData {
  const { dataset, split } = prepared;
  const replacedTexts = new Map(record.replaced.map((replaced) => [replaced.id, replaced.text]));
  const trainIds = new Set(split.train);
  for (const id of replacedTexts.keys()) {
    if (!trainIds.has(id)) throw new InternalError(`augmentation replaced query "${id}", which is not in the training split`);
  }

  const existingIds = new Set(dataset.queries.map((query) => query.id));
  const addedQueries: Query[] = [];
  for (const added of record.queries) {
    if (existingIds.has(added.id)) throw new InternalError(`augmentation adds query "${added.id}", which is already in ${dataset.name}`);
    existingIds.add(added.id);
    const query: Query = { id: added.id, text: added.text };
    if (added.locale !== undefined) query.locale = added.locale;
    addedQueries.push(query);
  }

  const addedIds = new Set(addedQueries.map((query) => query.id));
  const addedJudgments: Judgment[] = record.judgments.map((judgment) => {
    if (!addedIds.has(judgment.queryId)) throw new InternalError(`augmentation judges query "${judgment.queryId}", which it did not add`);
    prepared.product(judgment.productId);
    return { queryId: judgment.queryId, productId: judgment.productId, grade: judgment.grade, rawLabel: judgment.rawLabel };
  });

  const queries = dataset.queries.map((query) => {
    const text = replacedTexts.get(query.id);
    return text === undefined ? query : { ...query, text };
  });
  return prepareData(
    { ...dataset, queries: [...queries, ...addedQueries], judgments: [...dataset.judgments, ...addedJudgments] },
    { ...split, train: [...split.train, ...addedQueries.map((query) => query.id)] },
  );
}

async function writeJsonLines(file: string, rows: readonly unknown[]): Promise<void> {
  await writeAtomic(file, rows.map((row) => `${JSON.stringify(row)}\n`).join(""));
}

async function readJsonLines<T>(file: string, check: (row: Record<string, unknown>) => string | undefined): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError("file_not_found", { file }, "cannot read the augmentation file", "Rerun the augment stage: delete its folder or pass --restart.", {
      cause: error,
    });
  }

  const rows: T[] = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new InputError("invalid_augmentation_row", { file, row: index + 1 }, `invalid JSON: ${(error as Error).message}`, "Rerun the augment stage.");
    }
    const problem = typeof row === "object" && row !== null ? check(row as Record<string, unknown>) : "expected a JSON object";
    if (problem !== undefined) throw new InputError("invalid_augmentation_row", { file, row: index + 1 }, problem, "Rerun the augment stage.");
    rows.push(row as T);
  });
  return rows;
}

function checkQuery(row: Record<string, unknown>): string | undefined {
  if (typeof row.id !== "string" || typeof row.text !== "string") return 'expected string "id" and "text"';
  if (row.kind !== "typo" && row.kind !== "synthetic") return `expected "kind" "typo" or "synthetic", received ${JSON.stringify(row.kind)}`;
  return undefined;
}

function checkJudgment(row: Record<string, unknown>): string | undefined {
  if (typeof row.queryId !== "string" || typeof row.productId !== "string") return 'expected string "queryId" and "productId"';
  if (!isGrade(row.grade as Grade)) return `expected "grade" 0, 1 or 2, received ${JSON.stringify(row.grade)}`;
  if (typeof row.rawLabel !== "string") return 'expected a string "rawLabel"';
  return undefined;
}

function checkReplaced(row: Record<string, unknown>): string | undefined {
  if (typeof row.id !== "string" || typeof row.text !== "string" || typeof row.originalText !== "string") {
    return 'expected string "id", "text" and "originalText"';
  }
  return undefined;
}
