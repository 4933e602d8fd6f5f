import type { Judgment, Logger, ProgressCallback } from "@mine-refine/core";

/** Producer of a judgment: crowd labels, a model judge, an audit re-grade or an expert. */
export const JUDGMENT_SOURCES = ["human", "judge", "llm", "audit", "expert"] as const;
export type JudgmentSource = (typeof JUDGMENT_SOURCES)[number];

/**
 * Precedence of sources when several grade one pair, higher first: an expert overrides an audit
 * re-grade, which overrides a model judge, which overrides the crowd labels a dataset came with.
 * Within one precedence level the newest row wins.
 */
export const SOURCE_PRECEDENCE: Readonly<Record<JudgmentSource, number>> = {
  expert: 4,
  audit: 3,
  llm: 2,
  judge: 2,
  human: 1,
};

export const AUDIT_STATUSES = ["open", "resolved", "dismissed"] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

export const RUN_STATUSES = ["running", "succeeded", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STAGE_STATUSES = ["pending", "running", "done", "failed"] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

export interface OpenStoreOptions {
  /** A `postgres://` or `postgresql://` connection URL. Without it the store is embedded PGlite. */
  url?: string;
  /** Directory of the embedded store, created if missing. Without `url` and `directory` the store lives in memory. */
  directory?: string;
  logger?: Logger;
  /** Time allowed to open the first server connection (PostgreSQL only). Default 5000. */
  connectTimeoutMs?: number;
}

/** Counts of one table after an import: rows added, and rows whose key was already stored. */
export interface InsertCounts {
  inserted: number;
  skipped: number;
}

export interface ImportCounts {
  products: InsertCounts;
  queries: InsertCounts;
  judgments: InsertCounts;
}

export interface ImportOptions {
  /** Source of the dataset's judgments, usually `human` for crowd labels. */
  source: JudgmentSource;
  /** Judge id or model name stored with each judgment. Default: empty. */
  judge?: string;
  guidelineVersion?: string;
  /**
   * Rows per transaction. Larger batches import faster but redo more work after a crash, because a
   * killed import loses its open batch. Default 1000; PostgreSQL caps one statement at 65,535 bind
   * parameters, which bounds it.
   */
  batchSize?: number;
  progress?: ProgressCallback;
}

/** A judgment to add, with its provenance. */
export interface NewJudgment extends Judgment {
  dataset: string;
  source: JudgmentSource;
  judge?: string;
  guidelineVersion?: string;
  /** In [0, 1]. */
  confidence?: number;
  /** Default: the time of insertion. */
  createdAt?: Date;
}

/** A stored judgment with its provenance. */
export interface StoredJudgment extends Judgment {
  id: number;
  dataset: string;
  source: JudgmentSource;
  /** Empty for labels that came with a dataset. */
  judge: string;
  guidelineVersion: string;
  confidence: number | undefined;
  createdAt: Date;
}

export interface LatestJudgmentsOptions {
  dataset: string;
  /** Sources to choose from. Default: all. */
  sources?: readonly JudgmentSource[];
  /** Only these queries. Default: all. */
  queryIds?: readonly string[];
  /** Pairs per page. Default 1000. */
  pageSize?: number;
}

export interface LoadDatasetOptions {
  sources?: readonly JudgmentSource[];
  pageSize?: number;
}

/** Interaction counts of one (query, product) pair over the window [windowStart, windowEnd). */
export interface EngagementRow {
  dataset: string;
  queryId: string;
  productId: string;
  windowStart: Date;
  windowEnd: Date;
  impressions: number;
  clicks: number;
  addToCarts: number;
  purchases: number;
  /** Mean 1-based rank at which the product was shown; undefined without impressions. */
  meanPosition: number | undefined;
}

export interface EngagementOptions {
  dataset: string;
  queryIds?: readonly string[];
  pageSize?: number;
}

export interface NewAuditFinding {
  dataset: string;
  queryId: string;
  productId: string;
  rule: string;
  /** In [0, 1]. */
  confidence: number;
  evidence: Record<string, unknown>;
}

export interface AuditFinding extends NewAuditFinding {
  id: number;
  status: AuditStatus;
  resolutionJudgmentId: number | undefined;
  createdAt: Date;
  resolvedAt: Date | undefined;
}

export interface AuditFindingsOptions {
  dataset?: string;
  status?: AuditStatus;
  pageSize?: number;
}

export interface JudgeCacheEntry {
  /** Hash of the request that produced the response. */
  key: string;
  judge: string;
  response: unknown;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface CachedJudgeResponse extends JudgeCacheEntry {
  createdAt: Date;
}

export interface StageRecord {
  status: StageStatus;
  startedAt?: Date;
  finishedAt?: Date;
}

export interface RunRecord {
  id: string;
  config: Record<string, unknown>;
  status: RunStatus;
  stages: Record<string, StageRecord>;
  metrics: Record<string, unknown> | undefined;
  createdAt: Date;
  finishedAt: Date | undefined;
}
