import { GRADES, type Grade, isGrade } from "@mine-refine/core";
import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Database } from "./connect.js";
import { describeServerError, FOREIGN_KEY_VIOLATION, serverError } from "./database-error.js";
import { StoreError } from "./errors.js";
import { judgments } from "./schema.js";
import {
  type InsertCounts,
  JUDGMENT_SOURCES,
  type JudgmentSource,
  type LatestJudgmentsOptions,
  type NewJudgment,
  SOURCE_PRECEDENCE,
  type StoredJudgment,
} from "./types.js";

/** Bind parameters per judgment row in the worst case: every column of the insert. */
export const PARAMETERS_PER_JUDGMENT = 10;

/** PostgreSQL rejects a statement with more bind parameters than this. */
export const MAX_BIND_PARAMETERS = 65_535;

export const DEFAULT_PAGE_SIZE = 1000;

/** Query ids per `IN` list, so that a long filter stays below the bind parameter limit. */
export const QUERY_IDS_PER_CHUNK = 10_000;

export function checkBatchSize(batchSize: number, parametersPerRow: number, option: string): void {
  const max = Math.floor(MAX_BIND_PARAMETERS / parametersPerRow);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > max) {
    throw new StoreError(
      "invalid_option",
      `Option ${option} must be an integer from 1 to ${max}, but it is ${batchSize}. ` +
        `PostgreSQL allows at most ${MAX_BIND_PARAMETERS} bind parameters per statement.`,
    );
  }
}

export function checkPageSize(pageSize: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new StoreError("invalid_option", `Option pageSize must be a positive integer, but it is ${pageSize}.`);
  }
}

/** Rejects a judgment whose grade, source or confidence the schema would reject, naming the row. */
export function checkJudgment(row: NewJudgment, index: number): void {
  const where = `Judgment ${index} (query "${row.queryId}", product "${row.productId}")`;
  if (!isGrade(row.grade)) {
    throw new StoreError("invalid_row", `${where} has grade ${String(row.grade)}; expected one of ${GRADES.join(", ")}.`);
  }
  if (!(JUDGMENT_SOURCES as readonly string[]).includes(row.source)) {
    throw new StoreError(
      "invalid_row",
      `${where} has source "${row.source}"; expected one of ${JUDGMENT_SOURCES.join(", ")}.`,
    );
  }
  if (row.confidence !== undefined && !(row.confidence >= 0 && row.confidence <= 1)) {
    throw new StoreError("invalid_row", `${where} has confidence ${row.confidence}; expected a number in [0, 1].`);
  }
}

/**
 * Inserts one batch of judgments as one statement, which PostgreSQL runs as one transaction, so a
 * killed process leaves the whole batch or none of it. Rows whose identity (dataset, pair, source,
 * judge, guideline version) is already stored are skipped and keep their original grade.
 */
export async function insertJudgmentBatch(db: Database, rows: readonly NewJudgment[], firstIndex: number): Promise<number> {
  if (rows.length === 0) return 0;
  const values = rows.map((row) => ({
    dataset: row.dataset,
    queryId: row.queryId,
    productId: row.productId,
    grade: row.grade,
    rawLabel: row.rawLabel,
    source: row.source,
    judge: row.judge ?? "",
    guidelineVersion: row.guidelineVersion ?? "",
    confidence: row.confidence ?? null,
    ...(row.createdAt === undefined ? {} : { createdAt: row.createdAt }),
  }));
  try {
    const inserted = await db.insert(judgments).values(values).onConflictDoNothing().returning({ id: judgments.id });
    return inserted.length;
  } catch (error) {
    const last = firstIndex + rows.length - 1;
    if (serverError(error)?.code === FOREIGN_KEY_VIOLATION) {
      throw new StoreError(
        "invalid_row",
        `Judgments ${firstIndex} to ${last} refer to a query or product that is not stored: ${describeServerError(error)}. ` +
          "Import the dataset's products and queries first.",
        { cause: error },
      );
    }
    throw new StoreError("invalid_row", `Could not insert judgments ${firstIndex} to ${last}: ${describeServerError(error)}.`, {
      cause: error,
    });
  }
}

/**
 * Adds judgments in batches, skipping those whose identity is already stored. Each batch is sorted
 * by pair so that two processes adding overlapping rows lock them in the same order.
 */
export async function addJudgments(db: Database, rows: readonly NewJudgment[], batchSize: number): Promise<InsertCounts> {
  checkBatchSize(batchSize, PARAMETERS_PER_JUDGMENT, "batchSize");
  rows.forEach(checkJudgment);
  let inserted = 0;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize).sort(comparePairs);
    inserted += await insertJudgmentBatch(db, batch, start);
  }
  return { inserted, skipped: rows.length - inserted };
}

/** Orders judgments by (query id, product id) in code-point order, the same in every process. */
export function comparePairs(a: NewJudgment, b: NewJudgment): number {
  return compareKeys(a.queryId, b.queryId) || compareKeys(a.productId, b.productId);
}

export function compareKeys(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** `CASE source WHEN 'expert' THEN 4 ... END`, the precedence of a row's source. */
function precedenceSql(): SQL {
  const cases = Object.entries(SOURCE_PRECEDENCE).map(([source, rank]) => sql`when ${source} then ${sql.raw(String(rank))}`);
  return sql`case ${judgments.source} ${sql.join(cases, sql` `)} else 0 end`;
}

/**
 * Streams the chosen judgment of every pair, a page at a time. Per pair it picks the row of the
 * highest-precedence source among `sources`, then the newest, then the highest id. Pages follow
 * the key (query id, product id), so each page is an index range scan and memory stays bounded
 * by the page size however large the table is.
 */
export async function* latestJudgments(db: Database, options: LatestJudgmentsOptions): AsyncGenerator<StoredJudgment[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  checkPageSize(pageSize);
  const sources = options.sources ?? JUDGMENT_SOURCES;
  for (const source of sources) {
    if (!(JUDGMENT_SOURCES as readonly string[]).includes(source)) {
      throw new StoreError("invalid_option", `Unknown judgment source "${source}"; expected one of ${JUDGMENT_SOURCES.join(", ")}.`);
    }
  }
  if (sources.length === 0 || options.queryIds?.length === 0) return;

  const queryIdChunks: (readonly string[] | undefined)[] =
    options.queryIds === undefined ? [undefined] : chunk([...new Set(options.queryIds)].sort(), QUERY_IDS_PER_CHUNK);

  for (const queryIds of queryIdChunks) {
    let after: { queryId: string; productId: string } | undefined;
    for (;;) {
      const conditions: SQL[] = [eq(judgments.dataset, options.dataset), inArray(judgments.source, [...sources])];
      if (queryIds !== undefined) conditions.push(inArray(judgments.queryId, [...queryIds]));
      if (after !== undefined) {
        conditions.push(sql`(${judgments.queryId}, ${judgments.productId}) > (${after.queryId}, ${after.productId})`);
      }
      const rows = await db
        .selectDistinctOn([judgments.queryId, judgments.productId])
        .from(judgments)
        .where(and(...conditions))
        .orderBy(
          asc(judgments.queryId),
          asc(judgments.productId),
          desc(precedenceSql()),
          desc(judgments.createdAt),
          desc(judgments.id),
        )
        .limit(pageSize);
      if (rows.length === 0) break;
      yield rows.map(toStoredJudgment);
      const last = rows[rows.length - 1]!;
      after = { queryId: last.queryId, productId: last.productId };
      if (rows.length < pageSize) break;
    }
  }
}

function toStoredJudgment(row: typeof judgments.$inferSelect): StoredJudgment {
  return {
    id: row.id,
    dataset: row.dataset,
    queryId: row.queryId,
    productId: row.productId,
    grade: row.grade as Grade,
    rawLabel: row.rawLabel,
    source: row.source as JudgmentSource,
    judge: row.judge,
    guidelineVersion: row.guidelineVersion,
    confidence: row.confidence ?? undefined,
    createdAt: row.createdAt,
  };
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
