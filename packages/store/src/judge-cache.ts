import { eq } from "drizzle-orm";
import type { Database } from "./connect.js";
import { judgeCache } from "./schema.js";
import type { CachedJudgeResponse, JudgeCacheEntry } from "./types.js";

/** Returns the cached response for a request hash, or undefined. */
export async function cacheGet(db: Database, key: string): Promise<CachedJudgeResponse | undefined> {
  const rows = await db.select().from(judgeCache).where(eq(judgeCache.key, key)).limit(1);
  return rows[0];
}

/**
 * Stores a judge response unless the key is already cached: the first writer wins, so two workers
 * that raced on one request keep one response. Returns whether this call stored it.
 */
export async function cachePut(db: Database, entry: JudgeCacheEntry): Promise<boolean> {
  const inserted = await db.insert(judgeCache).values(entry).onConflictDoNothing().returning({ key: judgeCache.key });
  return inserted.length === 1;
}
