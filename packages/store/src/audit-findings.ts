import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { Database } from "./connect.js";
import { describeServerError, FOREIGN_KEY_VIOLATION, serverError } from "./database-error.js";
import { StoreError } from "./errors.js";
import { checkPageSize, chunk, DEFAULT_PAGE_SIZE } from "./judgments.js";
import { auditFindings } from "./schema.js";
import type { AuditFinding, AuditFindingsOptions, AuditStatus, InsertCounts, NewAuditFinding } from "./types.js";

const FINDINGS_BATCH_SIZE = 1000;

/**
 * Adds audit findings. A finding is identified by (dataset, pair, rule): a pair that one rule
 * flags again keeps its first finding, with that finding's status and resolution.
 */
export async function addAuditFindings(db: Database, rows: readonly NewAuditFinding[]): Promise<InsertCounts & { ids: number[] }> {
  rows.forEach((row, index) => {
    if (!(row.confidence >= 0 && row.confidence <= 1)) {
      throw new StoreError(
        "invalid_row",
        `Audit finding ${index} (query "${row.queryId}", product "${row.productId}", rule "${row.rule}") has confidence ${row.confidence}; expected a number in [0, 1].`,
      );
    }
  });
  const ids: number[] = [];
  for (const batch of chunk(rows, FINDINGS_BATCH_SIZE)) {
    const inserted = await db
      .insert(auditFindings)
      .values(batch.map((row) => ({ ...row })))
      .onConflictDoNothing()
      .returning({ id: auditFindings.id });
    ids.push(...inserted.map((row) => row.id));
  }
  return { inserted: ids.length, skipped: rows.length - ids.length, ids };
}

/** Streams findings in id order, a page at a time, optionally of one dataset or status. */
export async function* listAuditFindings(db: Database, options: AuditFindingsOptions = {}): AsyncGenerator<AuditFinding[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  checkPageSize(pageSize);
  let afterId = 0;
  for (;;) {
    const conditions: SQL[] = [gt(auditFindings.id, afterId)];
    if (options.dataset !== undefined) conditions.push(eq(auditFindings.dataset, options.dataset));
    if (options.status !== undefined) conditions.push(eq(auditFindings.status, options.status));
    const rows = await db
      .select()
      .from(auditFindings)
      .where(and(...conditions))
      .orderBy(asc(auditFindings.id))
      .limit(pageSize);
    if (rows.length === 0) return;
    yield rows.map(toAuditFinding);
    afterId = rows[rows.length - 1]!.id;
    if (rows.length < pageSize) return;
  }
}

/**
 * Closes a finding as `resolved` (usually with the judgment that re-graded the pair) or
 * `dismissed`. Resolving again overwrites the earlier resolution.
 *
 * @throws StoreError `finding_not_found` for an unknown id, `invalid_row` for an unknown judgment id.
 */
export async function resolveAuditFinding(
  db: Database,
  id: number,
  resolution: { status: Exclude<AuditStatus, "open">; judgmentId?: number },
): Promise<AuditFinding> {
  let rows: (typeof auditFindings.$inferSelect)[];
  try {
    rows = await db
      .update(auditFindings)
      .set({ status: resolution.status, resolutionJudgmentId: resolution.judgmentId ?? null, resolvedAt: new Date() })
      .where(eq(auditFindings.id, id))
      .returning();
  } catch (error) {
    if (serverError(error)?.code === FOREIGN_KEY_VIOLATION) {
      throw new StoreError(
        "invalid_row",
        `Cannot resolve audit finding ${id} with judgment ${resolution.judgmentId}: no judgment has that id. Add the re-grade with addJudgments first and pass its id.`,
        { cause: error },
      );
    }
    throw new StoreError("invalid_row", `Could not resolve audit finding ${id}: ${describeServerError(error)}.`, { cause: error });
  }
  const row = rows[0];
  if (row === undefined) throw new StoreError("finding_not_found", `No audit finding has id ${id}.`);
  return toAuditFinding(row);
}

function toAuditFinding(row: typeof auditFindings.$inferSelect): AuditFinding {
  return {
    id: row.id,
    dataset: row.dataset,
    queryId: row.queryId,
    productId: row.productId,
    rule: row.rule,
    confidence: row.confidence,
    evidence: row.evidence,
    status: row.status as AuditStatus,
    resolutionJudgmentId: row.resolutionJudgmentId ?? undefined,
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt ?? undefined,
  };
}
