import { randomUUID } from "node:crypto";
import { it } from "vitest";

/** PostgreSQL URL for the server-backed runs of the suite, when set. */
export const PG_URL = process.env.MINE_REFINE_PG_URL;

export const PG_SKIP_NOTE =
  "PostgreSQL tests skipped: set MINE_REFINE_PG_URL=postgresql://user:password@127.0.0.1:PORT/DATABASE " +
  "(sourcing .ci/postgres.sh starts a throwaway server and sets it)";

/** Registers a skipped test whose name explains how to enable the PostgreSQL runs. */
export function noteSkippedPostgres(): void {
  it.skip(PG_SKIP_NOTE, () => {});
}

/**
 * Returns a name that no earlier run used. A PostgreSQL database outlives a test run, so each run writes its
 * own datasets, runs and cache keys instead of clearing tables that other runs may be reading.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
