import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "@mine-refine/core";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import { migrate as migratePostgres } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { type DirectoryLock, lockDirectory } from "./directory-lock.js";
import { StoreError } from "./errors.js";
import { maskSecrets, maskUrlPasswords } from "./mask-url.js";

/** A drizzle database on either driver. Transactions are databases too, so helpers accept both. */
export type Database = PgDatabase<PgQueryResultHKT>;

export type Backend = "pglite" | "postgres";

export interface Connection {
  db: Database;
  backend: Backend;
  /** Data location with any password masked: a URL, a directory or `memory`. */
  location: string;
  close(): Promise<void>;
}

/**
 * The generated SQL migrations. Both `src/` and `dist/` sit one level below the package root, so
 * the same relative path works in tests, which run the sources, and at run time from `dist`.
 */
const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Key of the PostgreSQL advisory lock that serialises migrations of concurrent openers. */
const MIGRATION_LOCK_KEY = 7_305_511_203;

/** Name of the PGlite data directory inside a store directory, next to the lock file. */
export const PGLITE_DATA_FOLDER = "pgdata";

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Opens PostgreSQL at `url`, checks the login with one connection and applies pending migrations. */
export async function connectPostgres(url: string, logger: Logger, connectTimeoutMs: number): Promise<Connection> {
  const masked = maskUrlPasswords(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(
      "invalid_url",
      `Invalid PostgreSQL URL ${masked}: expected postgresql://user:password@host:port/database.`,
    );
  }
  if (parsed.hostname === "" || parsed.pathname.length <= 1) {
    throw new StoreError(
      "invalid_url",
      `Invalid PostgreSQL URL ${masked}: the host or the database name is missing. ` +
        "Expected postgresql://user:password@host:port/database.",
    );
  }
  const password = parsed.password === "" ? undefined : decodeURIComponent(parsed.password);

  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  // An idle client that loses its server emits `error` on the pool, and without a listener Node exits.
  pool.on("error", (error) => {
    logger.log("error", "PostgreSQL connection lost", { url: masked, error: maskSecrets(error.message, password) });
  });

  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    const reason = maskSecrets(describeError(error), password);
    throw new StoreError(
      "connection_failed",
      `Could not connect to PostgreSQL at ${masked}: ${reason}. ` +
        "Check that the server is running, that host, port, user and password are right, and that the database exists.",
    );
  }

  try {
    // Two processes opening a fresh database at once would both create the migration table, so
    // they take turns under an advisory lock held by this one connection.
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    client.release();
    await pool.end().catch(() => {});
    throw new StoreError(
      "connection_failed",
      `Could not apply the store migrations to ${masked}: ${maskSecrets(describeError(error), password)}. ` +
        "The user needs the right to create tables in the database.",
      { cause: error },
    );
  }
  client.release();

  logger.log("info", "Opened PostgreSQL store", { url: masked });
  return {
    db: drizzlePostgres({ client: pool }) as unknown as Database,
    backend: "postgres",
    location: masked,
    close: () => pool.end(),
  };
}

/** Opens an embedded PGlite store in `directory`, or in memory when it is undefined. */
export async function connectPglite(directory: string | undefined, logger: Logger): Promise<Connection> {
  let lock: DirectoryLock | undefined;
  let client: PGlite;
  if (directory === undefined) {
    client = new PGlite();
  } else {
    mkdirSync(directory, { recursive: true });
    lock = lockDirectory(directory);
    try {
      client = new PGlite(join(directory, PGLITE_DATA_FOLDER));
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  try {
    await client.waitReady;
    const db = drizzlePglite({ client });
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await client.close().catch(() => {});
    lock?.release();
    throw new StoreError(
      "connection_failed",
      `Could not open the embedded store in ${directory ?? "memory"}: ${describeError(error)}.`,
      { cause: error },
    );
  }

  const location = directory ?? "memory";
  logger.log("info", "Opened embedded PGlite store", { directory: location });
  return {
    db: drizzlePglite({ client }) as unknown as Database,
    backend: "pglite",
    location,
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Returns the driver's message, or the codes of an aggregated connection error that has no message. */
function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") {
    return error.errors.map(describeError).join("; ");
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error.message !== "") return error.message;
    if (code !== undefined) return code;
  }
  return String(error);
}
