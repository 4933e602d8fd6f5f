import { type Dataset, type Judgment, type Product, type Query, silentLogger } from "@mine-refine/core";
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import { addAuditFindings, listAuditFindings, resolveAuditFinding } from "./audit-findings.js";
import {
  type Backend,
  type Connection,
  connectPglite,
  connectPostgres,
  type Database,
  DEFAULT_CONNECT_TIMEOUT_MS,
  isPostgresUrl,
} from "./connect.js";
import { readEngagement, upsertEngagement } from "./engagement.js";
import { StoreError } from "./errors.js";
import { DEFAULT_IMPORT_BATCH_SIZE, importDataset } from "./import-dataset.js";
import { cacheGet, cachePut } from "./judge-cache.js";
import { addJudgments, checkPageSize, DEFAULT_PAGE_SIZE, latestJudgments } from "./judgments.js";
import { maskUrlPasswords } from "./mask-url.js";
import { createRun, finishRun, getRun, listRuns, updateRunStage } from "./runs.js";
import { products, queries } from "./schema.js";
import type {
  AuditFinding,
  AuditFindingsOptions,
  AuditStatus,
  CachedJudgeResponse,
  EngagementOptions,
  EngagementRow,
  ImportCounts,
  ImportOptions,
  InsertCounts,
  JudgeCacheEntry,
  LatestJudgmentsOptions,
  LoadDatasetOptions,
  NewAuditFinding,
  NewJudgment,
  OpenStoreOptions,
  RunRecord,
  RunStatus,
  StageStatus,
  StoredJudgment,
} from "./types.js";

/**
 * Opens a store: PostgreSQL when `url` starts with `postgres://` or `postgresql://`, otherwise
 * embedded PGlite in `directory` (created if missing), or in memory when neither is given.
 * Pending migrations are applied before it returns.
 *
 * @throws StoreError `invalid_url` for a URL that is not a PostgreSQL URL, `connection_failed` when
 * the server does not respond within `connectTimeoutMs` or rejects the login, `directory_locked`
 * when another process has the directory open. Messages mask the URL's password.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const logger = options.logger ?? silentLogger;
  let connection: Connection;
  if (options.url !== undefined) {
    if (!isPostgresUrl(options.url)) {
      throw new StoreError(
        "invalid_url",
        `Invalid store URL ${maskUrlPasswords(options.url)}: expected a URL starting with postgres:// or postgresql://. ` +
          "For an embedded store, pass a directory instead of a URL.",
      );
    }
    connection = await connectPostgres(options.url, logger, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  } else {
    connection = await connectPglite(options.directory, logger);
  }
  return new Store(connection);
}

/** Judgments with provenance, engagement, audit findings, judge responses and runs. */
export class Store {
  readonly backend: Backend;
  /** Data location with any password masked: a URL, a directory or `memory`. */
  readonly location: string;
  readonly #connection: Connection;
  readonly #db: Database;

  constructor(connection: Connection) {
    this.#connection = connection;
    this.#db = connection.db;
    this.backend = connection.backend;
    this.location = connection.location;
  }

  importDataset(dataset: Dataset, options: ImportOptions): Promise<ImportCounts> {
    return importDataset(this.#db, dataset, options);
  }

  /** Adds judgments; rows whose identity is already stored are skipped, never overwritten. */
  addJudgments(rows: readonly NewJudgment[], options: { batchSize?: number } = {}): Promise<InsertCounts> {
    return addJudgments(this.#db, rows, options.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE);
  }

  /** Streams one judgment per pair, chosen by source precedence and then recency. */
  latestJudgments(options: LatestJudgmentsOptions): AsyncIterable<StoredJudgment[]> {
    return latestJudgments(this.#db, options);
  }

  /** Reads a dataset back: all its products and queries, and the latest judgment of each pair. */
  async loadDataset(name: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    checkPageSize(pageSize);
    const dataset: Dataset = { name, products: [], queries: [], judgments: [] };

    for await (const page of this.#pagesById(products, name, pageSize)) {
      for (const row of page) {
        const product: Product = { id: row.id, title: row.title, fields: row.fields };
        if (row.locale !== null) product.locale = row.locale;
        dataset.products.push(product);
      }
    }
    for await (const page of this.#pagesById(queries, name, pageSize)) {
      for (const row of page) {
        const query: Query = { id: row.id, text: row.text };
        if (row.locale !== null) query.locale = row.locale;
        dataset.queries.push(query);
      }
    }
    const judgmentOptions: LatestJudgmentsOptions = { dataset: name, pageSize };
    if (options.sources !== undefined) judgmentOptions.sources = options.sources;
    for await (const page of latestJudgments(this.#db, judgmentOptions)) {
      for (const row of page) {
        const judgment: Judgment = { queryId: row.queryId, productId: row.productId, grade: row.grade, rawLabel: row.rawLabel };
        dataset.judgments.push(judgment);
      }
    }
    return dataset;
  }

  /** Writes engagement aggregates; a stored (pair, window) gets the new counts. Returns rows written. */
  upsertEngagement(rows: readonly EngagementRow[]): Promise<number> {
    return upsertEngagement(this.#db, rows);
  }

  engagement(options: EngagementOptions): AsyncIterable<EngagementRow[]> {
    return readEngagement(this.#db, options);
  }

  addAuditFindings(rows: readonly NewAuditFinding[]): Promise<InsertCounts & { ids: number[] }> {
    return addAuditFindings(this.#db, rows);
  }

  auditFindings(options: AuditFindingsOptions = {}): AsyncIterable<AuditFinding[]> {
    return listAuditFindings(this.#db, options);
  }

  resolveAuditFinding(id: number, resolution: { status: Exclude<AuditStatus, "open">; judgmentId?: number }): Promise<AuditFinding> {
    return resolveAuditFinding(this.#db, id, resolution);
  }

  cacheGet(key: string): Promise<CachedJudgeResponse | undefined> {
    return cacheGet(this.#db, key);
  }

  /** Stores a judge response unless its key is cached already. Returns whether this call stored it. */
  cachePut(entry: JudgeCacheEntry): Promise<boolean> {
    return cachePut(this.#db, entry);
  }

  createRun(id: string, config: Record<string, unknown>): Promise<RunRecord> {
    return createRun(this.#db, id, config);
  }

  updateRunStage(
    id: string,
    stage: string,
    status: StageStatus,
    timestamps: { startedAt?: Date; finishedAt?: Date } = {},
  ): Promise<RunRecord> {
    return updateRunStage(this.#db, id, stage, status, timestamps);
  }

  finishRun(id: string, status: Exclude<RunStatus, "running">, metrics: Record<string, unknown>): Promise<RunRecord> {
    return finishRun(this.#db, id, status, metrics);
  }

  getRun(id: string): Promise<RunRecord | undefined> {
    return getRun(this.#db, id);
  }

  listRuns(): Promise<RunRecord[]> {
    return listRuns(this.#db);
  }

  /** Closes the connections and, for an embedded store, releases its directory. */
  close(): Promise<void> {
    return this.#connection.close();
  }

  async *#pagesById<T extends typeof products | typeof queries>(
    table: T,
    dataset: string,
    pageSize: number,
  ): AsyncGenerator<T["$inferSelect"][]> {
    let afterId: string | undefined;
    for (;;) {
      const conditions: SQL[] = [eq(table.dataset, dataset)];
      if (afterId !== undefined) conditions.push(gt(table.id, afterId));
      const rows = (await this.#db
        .select()
        .from(table as typeof products)
        .where(and(...conditions))
        .orderBy(asc(table.id))
        .limit(pageSize)) as T["$inferSelect"][];
      if (rows.length === 0) return;
      yield rows;
      afterId = rows[rows.length - 1]!.id;
      if (rows.length < pageSize) return;
    }
  }
}
