import {
  type ConfigIssue,
  ConfigError,
  type Grade,
  InputError,
  type Judgment,
  type Logger,
  type Product,
  type ProgressCallback,
  type Query,
  isGrade,
  noProgress,
  silentLogger,
} from "@mine-refine/core";
import type { SyntheticQuery } from "./synthetic-queries.js";

/**
 * The judge contract of the labeling package, restated here so that this package does not depend on
 * it. Any labeling judge fits where this is expected.
 */
export interface JudgePair {
  queryId: string;
  /** Query text. */
  query: string;
  productId: string;
  product: Product;
}

export type JudgeResult =
  | { queryId: string; productId: string; grade: Grade; confidence: number; judgeId: string; guidelineVersion: string }
  | { queryId: string; productId: string; error: { code: string; message: string }; judgeId: string };

export interface PairJudge {
  id: string;
  guidelineVersion: string;
  grade(pairs: JudgePair[], options?: { signal?: AbortSignal; progress?: ProgressCallback }): Promise<JudgeResult[]>;
}

export interface GradeSyntheticOptions {
  /** Results with a lower confidence are not kept as judgments. Default 0, which keeps every grade. */
  minConfidence?: number;
  /** Pairs per `judge.grade` call. Default 64. */
  batchSize?: number;
  signal?: AbortSignal;
  logger?: Logger;
  progress?: ProgressCallback;
}

/** A kept synthetic judgment with the judge's provenance. */
export interface GradedSyntheticPair {
  judgment: Judgment;
  template: SyntheticQuery["template"];
  confidence: number;
  judgeId: string;
  guidelineVersion: string;
}

/** A pair that was not kept: the judge's own error code, "low_confidence", "invalid_grade" or "missing_result". */
export interface SyntheticGradingFailure {
  queryId: string;
  productId: string;
  code: string;
  message: string;
}

export interface GradeSyntheticResult {
  /** One query per id that has at least one kept judgment, ready to add to a dataset. */
  queries: Query[];
  judgments: Judgment[];
  graded: GradedSyntheticPair[];
  failures: SyntheticGradingFailure[];
}

function pairKey(queryId: string, productId: string): string {
  return `${queryId}\u0000${productId}`;
}

/**
 * Grades each synthetic query against its source product with a judge. The template does not settle
 * the grade, because a query that drops the brand or a size can still fit the product, or can fit it
 * less well than a rival. Judge errors and low-confidence grades come back as failures, not exceptions.
 */
export async function gradeSyntheticQueries(
  synthetic: readonly SyntheticQuery[],
  products: readonly Product[],
  judge: PairJudge,
  options: GradeSyntheticOptions = {},
): Promise<GradeSyntheticResult> {
  const minConfidence = options.minConfidence ?? 0;
  const batchSize = options.batchSize ?? 64;
  const issues: ConfigIssue[] = [];
  if (!(minConfidence >= 0 && minConfidence <= 1)) {
    issues.push({ path: "minConfidence", message: `expected a confidence in [0, 1], received ${minConfidence}` });
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    issues.push({ path: "batchSize", message: `expected an integer >= 1, received ${batchSize}` });
  }
  if (issues.length > 0) throw new ConfigError("gradeSyntheticQueries options", issues);

  const logger = options.logger ?? silentLogger;
  const progress = options.progress ?? noProgress;
  const productsById = new Map(products.map((product) => [product.id, product]));

  // One pair per (query, product), because two templates of one product can write the same text.
  const bySourcePair = new Map<string, { pair: JudgePair; source: SyntheticQuery }>();
  for (const query of synthetic) {
    const product = productsById.get(query.sourceProductId);
    if (product === undefined) {
      throw new InputError(
        "unknown_product",
        { column: "sourceProductId" },
        `synthetic query "${query.queryId}" names product "${query.sourceProductId}", which is not in the catalog`,
        "Pass the same products that the queries were generated from",
      );
    }
    const key = pairKey(query.queryId, product.id);
    if (!bySourcePair.has(key)) {
      bySourcePair.set(key, { pair: { queryId: query.queryId, query: query.text, productId: product.id, product }, source: query });
    }
  }

  const entries = [...bySourcePair.values()];
  const result: GradeSyntheticResult = { queries: [], judgments: [], graded: [], failures: [] };
  const keptQueries = new Map<string, Query>();

  for (let start = 0; start < entries.length; start += batchSize) {
    const batch = entries.slice(start, start + batchSize);
    const judgeOptions: { signal?: AbortSignal } = {};
    if (options.signal !== undefined) judgeOptions.signal = options.signal;
    const results = await judge.grade(
      batch.map((entry) => entry.pair),
      judgeOptions,
    );
    const resultsByKey = new Map(results.map((item) => [pairKey(item.queryId, item.productId), item]));

    for (const { pair, source } of batch) {
      const outcome = resultsByKey.get(pairKey(pair.queryId, pair.productId));
      const failure = checkOutcome(outcome, minConfidence);
      if (failure !== undefined) {
        result.failures.push({ queryId: pair.queryId, productId: pair.productId, ...failure });
        continue;
      }

      const graded = outcome as Extract<JudgeResult, { grade: Grade }>;
      const judgment: Judgment = { queryId: pair.queryId, productId: pair.productId, grade: graded.grade, rawLabel: String(graded.grade) };
      result.judgments.push(judgment);
      result.graded.push({
        judgment,
        template: source.template,
        confidence: graded.confidence,
        judgeId: graded.judgeId,
        guidelineVersion: graded.guidelineVersion,
      });
      if (!keptQueries.has(pair.queryId)) {
        const query: Query = { id: pair.queryId, text: source.text };
        if (source.locale !== undefined) query.locale = source.locale;
        keptQueries.set(pair.queryId, query);
      }
    }
    progress({ task: "grade synthetic queries", done: Math.min(start + batchSize, entries.length), total: entries.length });
  }

  result.queries = [...keptQueries.values()];
  if (result.failures.length > 0) {
    logger.log("warn", "Some synthetic pairs were not graded", {
      failed: result.failures.length,
      total: entries.length,
      judgeId: judge.id,
    });
  }
  return result;
}

function checkOutcome(outcome: JudgeResult | undefined, minConfidence: number): { code: string; message: string } | undefined {
  if (outcome === undefined) return { code: "missing_result", message: "the judge returned no result for this pair" };
  if ("error" in outcome) return outcome.error;
  if (!isGrade(outcome.grade)) return { code: "invalid_grade", message: `the judge returned grade ${String(outcome.grade)}, expected 0, 1 or 2` };
  if (outcome.confidence < minConfidence) {
    return { code: "low_confidence", message: `confidence ${outcome.confidence} is below minConfidence ${minConfidence}` };
  }
  return undefined;
}
