/**
 * The store's tables in the drizzle pg dialect. The same schema runs on PGlite and on a PostgreSQL
 * server. Products, queries and every row that points at them are keyed by dataset name first,
 * because two datasets may reuse the same product or query id.
 *
 * After changing this file, run `pnpm --filter @mine-refine/store db:generate` and commit the new
 * SQL under `drizzle/`, because the store applies those migrations when it opens.
 */
import { GRADES } from "@mine-refine/core";
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { AUDIT_STATUSES, JUDGMENT_SOURCES, RUN_STATUSES } from "./types.js";

/** Renders constant strings or numbers as an SQL list for a check constraint. */
function sqlList(values: readonly (string | number)[]): ReturnType<typeof sql.raw> {
  return sql.raw(values.map((value) => (typeof value === "number" ? String(value) : `'${value}'`)).join(", "));
}

export const products = pgTable(
  "products",
  {
    dataset: text("dataset").notNull(),
    id: text("id").notNull(),
    title: text("title").notNull(),
    fields: jsonb("fields").$type<Record<string, string>>().notNull(),
    locale: text("locale"),
  },
  (table) => [primaryKey({ columns: [table.dataset, table.id] })],
);

export const queries = pgTable(
  "queries",
  {
    dataset: text("dataset").notNull(),
    id: text("id").notNull(),
    text: text("text").notNull(),
    locale: text("locale"),
  },
  (table) => [primaryKey({ columns: [table.dataset, table.id] })],
);

/**
 * Graded pairs. A row is never updated: a new grade for a pair is a new row with another source,
 * judge or guideline version, and re-adding an existing key changes nothing.
 */
export const judgments = pgTable(
  "judgments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dataset: text("dataset").notNull(),
    queryId: text("query_id").notNull(),
    productId: text("product_id").notNull(),
    grade: smallint("grade").notNull(),
    rawLabel: text("raw_label").notNull(),
    source: text("source").notNull(),
    /** Judge id or model name; the empty string for labels that came with a dataset. */
    judge: text("judge").notNull().default(""),
    /** The empty string when the source states no guideline version. */
    guidelineVersion: text("guideline_version").notNull().default(""),
    /** Judge confidence in [0, 1]; null when the source gives none. */
    confidence: real("confidence"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  // The identity constraint's index starts with (dataset, query_id, product_id), so it also serves
  // the per-pair scans of latestJudgments.
  (table) => [
    unique("judgments_identity").on(
      table.dataset,
      table.queryId,
      table.productId,
      table.source,
      table.judge,
      table.guidelineVersion,
    ),
    foreignKey({ columns: [table.dataset, table.queryId], foreignColumns: [queries.dataset, queries.id] }),
    foreignKey({ columns: [table.dataset, table.productId], foreignColumns: [products.dataset, products.id] }),
    check("judgments_grade", sql`${table.grade} in (${sqlList(GRADES)})`),
    check("judgments_source", sql`${table.source} in (${sqlList(JUDGMENT_SOURCES)})`),
    check("judgments_confidence", sql`${table.confidence} is null or (${table.confidence} >= 0 and ${table.confidence} <= 1)`),
  ],
);

/** Interaction counts of one (query, product) pair over one time window. */
export const engagement = pgTable(
  "engagement",
  {
    dataset: text("dataset").notNull(),
    queryId: text("query_id").notNull(),
    productId: text("product_id").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true, mode: "date" }).notNull(),
    windowEnd: timestamp("window_end", { withTimezone: true, mode: "date" }).notNull(),
    impressions: integer("impressions").notNull(),
    clicks: integer("clicks").notNull(),
    addToCarts: integer("add_to_carts").notNull(),
    purchases: integer("purchases").notNull(),
    /** Mean 1-based rank at which the product was shown; null without impressions. */
    meanPosition: real("mean_position"),
  },
  (table) => [
    primaryKey({ columns: [table.dataset, table.queryId, table.productId, table.windowStart, table.windowEnd] }),
    check("engagement_window", sql`${table.windowStart} < ${table.windowEnd}`),
    check(
      "engagement_counts",
      sql`${table.impressions} >= 0 and ${table.clicks} >= 0 and ${table.addToCarts} >= 0 and ${table.purchases} >= 0`,
    ),
  ],
);

/** Pairs whose engagement contradicts their grade, flagged by an audit rule. */
export const auditFindings = pgTable(
  "audit_findings",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dataset: text("dataset").notNull(),
    queryId: text("query_id").notNull(),
    productId: text("product_id").notNull(),
    rule: text("rule").notNull(),
    confidence: real("confidence").notNull(),
    evidence: jsonb("evidence").$type<Record<string, unknown>>().notNull(),
    status: text("status").notNull().default("open"),
    /** The judgment that settled the finding, usually a re-grade with source `audit`. */
    resolutionJudgmentId: bigint("resolution_judgment_id", { mode: "number" }).references(() => judgments.id),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true, mode: "date" }),
  },
  (table) => [
    unique("audit_findings_identity").on(table.dataset, table.queryId, table.productId, table.rule),
    index("audit_findings_status").on(table.status, table.id),
    check("audit_findings_status_values", sql`${table.status} in (${sqlList(AUDIT_STATUSES)})`),
  ],
);

/** Judge responses keyed by a hash of the request, so that a repeated request costs nothing. */
export const judgeCache = pgTable("judge_cache", {
  key: text("key").primaryKey(),
  judge: text("judge").notNull(),
  response: jsonb("response").notNull(),
  promptTokens: integer("prompt_tokens").notNull().default(0),
  completionTokens: integer("completion_tokens").notNull().default(0),
  costUsd: doublePrecision("cost_usd").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** Stage name to its status and ISO 8601 timestamps. */
export type RunStages = Record<string, { status: string; startedAt?: string; finishedAt?: string }>;

export const runs = pgTable(
  "runs",
  {
    id: text("id").primaryKey(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    status: text("status").notNull().default("running"),
    stages: jsonb("stages").$type<RunStages>().notNull().default({}),
    metrics: jsonb("metrics").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
  },
  (table) => [check("runs_status", sql`${table.status} in (${sqlList(RUN_STATUSES)})`)],
);
