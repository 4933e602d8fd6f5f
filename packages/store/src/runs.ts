import { desc, eq, sql } from "drizzle-orm";
import type { Database } from "./connect.js";
import { serverError } from "./database-error.js";
import { StoreError } from "./errors.js";
import { type RunStages, runs } from "./schema.js";
import { type RunRecord, type RunStatus, STAGE_STATUSES, type StageRecord, type StageStatus } from "./types.js";

const UNIQUE_VIOLATION = "23505";

/** @throws StoreError `run_exists` when a run with this id is stored. */
export async function createRun(db: Database, id: string, config: Record<string, unknown>): Promise<RunRecord> {
  try {
    const rows = await db.insert(runs).values({ id, config }).returning();
    return toRunRecord(rows[0]!);
  } catch (error) {
    if (serverError(error)?.code === UNIQUE_VIOLATION) {
      throw new StoreError("run_exists", `A run with id "${id}" is already stored. Resume it with getRun, or choose another id.`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Sets one stage's status and timestamps. The stage entry is replaced in one UPDATE, so stages
 * that two processes report at once do not overwrite each other.
 */
export async function updateRunStage(
  db: Database,
  id: string,
  stage: string,
  status: StageStatus,
  timestamps: { startedAt?: Date; finishedAt?: Date } = {},
): Promise<RunRecord> {
  if (!(STAGE_STATUSES as readonly string[]).includes(status)) {
    throw new StoreError(
      "invalid_option",
      `Stage "${stage}" of run "${id}" has status "${status}"; expected one of ${STAGE_STATUSES.join(", ")}.`,
    );
  }
  const entry: RunStages[string] = { status };
  if (timestamps.startedAt !== undefined) entry.startedAt = timestamps.startedAt.toISOString();
  if (timestamps.finishedAt !== undefined) entry.finishedAt = timestamps.finishedAt.toISOString();
  const rows = await db
    .update(runs)
    .set({ stages: sql`${runs.stages} || jsonb_build_object(${stage}::text, ${JSON.stringify(entry)}::jsonb)` })
    .where(eq(runs.id, id))
    .returning();
  return requireRun(rows[0], id);
}

/** Records the end of a run with its final status and metrics. */
export async function finishRun(
  db: Database,
  id: string,
  status: Exclude<RunStatus, "running">,
  metrics: Record<string, unknown>,
): Promise<RunRecord> {
  const rows = await db.update(runs).set({ status, metrics, finishedAt: new Date() }).where(eq(runs.id, id)).returning();
  return requireRun(rows[0], id);
}

export async function getRun(db: Database, id: string): Promise<RunRecord | undefined> {
  const rows = await db.select().from(runs).where(eq(runs.id, id)).limit(1);
  return rows[0] === undefined ? undefined : toRunRecord(rows[0]);
}

/** Lists every run, newest first. */
export async function listRuns(db: Database): Promise<RunRecord[]> {
  const rows = await db.select().from(runs).orderBy(desc(runs.createdAt), desc(runs.id));
  return rows.map(toRunRecord);
}

function requireRun(row: typeof runs.$inferSelect | undefined, id: string): RunRecord {
  if (row === undefined) throw new StoreError("run_not_found", `No run has id "${id}". Create it with createRun first.`);
  return toRunRecord(row);
}

function toRunRecord(row: typeof runs.$inferSelect): RunRecord {
  const stages: Record<string, StageRecord> = {};
  for (const [name, stage] of Object.entries(row.stages)) {
    const record: StageRecord = { status: stage.status as StageStatus };
    if (stage.startedAt !== undefined) record.startedAt = new Date(stage.startedAt);
    if (stage.finishedAt !== undefined) record.finishedAt = new Date(stage.finishedAt);
    stages[name] = record;
  }
  return {
    id: row.id,
    config: row.config,
    status: row.status as RunStatus,
    stages,
    metrics: row.metrics ?? undefined,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt ?? undefined,
  };
}
