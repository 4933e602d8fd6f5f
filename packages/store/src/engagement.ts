import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Database } from "./connect.js";
import { describeServerError } from "./database-error.js";
import { StoreError } from "./errors.js";
import { checkPageSize, chunk, DEFAULT_PAGE_SIZE, QUERY_IDS_PER_CHUNK } from "./judgments.js";
import { engagement } from "./schema.js";
import type { EngagementOptions, EngagementRow } from "./types.js";

/** Rows per statement: 11 bind parameters each keeps a batch far below PostgreSQL's 65,535. */
const ENGAGEMENT_BATCH_SIZE = 2000;

/**
 * Inserts engagement aggregates, replacing the counts of a (dataset, pair, window) that is already
 * stored, because a recomputed aggregate supersedes the earlier one. Each batch is one statement.
 */
export async function upsertEngagement(db: Database, rows: readonly EngagementRow[]): Promise<number> {
  let written = 0;
  for (const batch of chunk(rows, ENGAGEMENT_BATCH_SIZE)) {
    const values = batch.map((row) => ({ ...row, meanPosition: row.meanPosition ?? null }));
    try {
      await db
        .insert(engagement)
        .values(values)
        .onConflictDoUpdate({
          target: [engagement.dataset, engagement.queryId, engagement.productId, engagement.windowStart, engagement.windowEnd],
          set: {
            impressions: sql`excluded.impressions`,
            clicks: sql`excluded.clicks`,
            addToCarts: sql`excluded.add_to_carts`,
            purchases: sql`excluded.purchases`,
            meanPosition: sql`excluded.mean_position`,
          },
        });
    } catch (error) {
      throw new StoreError(
        "invalid_row",
        `Could not write engagement rows ${written} to ${written + batch.length - 1}: ${describeServerError(error)}. ` +
          "Counts must be non-negative, windowStart must precede windowEnd, and one batch must not repeat a key.",
        { cause: error },
      );
    }
    written += batch.length;
  }
  return written;
}

/** Streams engagement aggregates of a dataset ordered by (query, product, window), a page at a time. */
export async function* readEngagement(db: Database, options: EngagementOptions): AsyncGenerator<EngagementRow[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  checkPageSize(pageSize);
  if (options.queryIds?.length === 0) return;
  const queryIdChunks: (readonly string[] | undefined)[] =
    options.queryIds === undefined ? [undefined] : chunk([...new Set(options.queryIds)].sort(), QUERY_IDS_PER_CHUNK);

  for (const queryIds of queryIdChunks) {
    let after: EngagementRow | undefined;
    for (;;) {
      const conditions: SQL[] = [eq(engagement.dataset, options.dataset)];
      if (queryIds !== undefined) conditions.push(inArray(engagement.queryId, [...queryIds]));
      if (after !== undefined) {
        conditions.push(
          sql`(${engagement.queryId}, ${engagement.productId}, ${engagement.windowStart}, ${engagement.windowEnd}) > (${after.queryId}, ${after.productId}, ${after.windowStart.toISOString()}::timestamptz, ${after.windowEnd.toISOString()}::timestamptz)`,
        );
      }
      const rows = await db
        .select()
        .from(engagement)
        .where(and(...conditions))
        .orderBy(asc(engagement.queryId), asc(engagement.productId), asc(engagement.windowStart), asc(engagement.windowEnd))
        .limit(pageSize);
      if (rows.length === 0) break;
      const page = rows.map((row) => ({ ...row, meanPosition: row.meanPosition ?? undefined }));
      yield page;
      after = page[page.length - 1];
      if (rows.length < pageSize) break;
    }
  }
}
