import { GRADE_MODERATE, type Grade } from "@mine-refine/core";
import type { GainPreset, GainScheme } from "./gains.js";
import type { Qrels, RawLabels } from "./qrels.js";
import { averagePrecision, mrrAtK, ndcgAtK, precisionAtK, recallAtK, requireDistinct } from "./ranking-metrics.js";
import { requirePositiveInteger } from "./validate.js";

/** Ranked product ids by query id, best first. */
export type Run = ReadonlyMap<string, readonly string[]>;

export interface EvaluateRunOptions {
  /** Cutoffs; each adds ndcg@k, recall@k, precision@k and mrr@k. */
  ks: readonly number[];
  /** Gains for NDCG. Default "graded". */
  gains?: GainPreset | GainScheme;
  /** Lowest grade that counts as relevant for recall, precision, MRR and MAP. Default GRADE_MODERATE. */
  minGrade?: Grade;
  /** Raw labels, needed only by gain schemes that read them such as "esci". */
  rawLabels?: RawLabels;
}

export interface RunCounts {
  /** Judged queries, the queries every metric is computed for. */
  queries: number;
  /** Per metric, judged queries left out of the mean because the metric is undefined (null) there. */
  excluded: Record<string, number>;
  /** Judged queries absent from the run, evaluated as empty rankings. */
  judgedQueriesMissingFromRun: number;
  /** Run queries without any judgment, ignored. */
  runQueriesWithoutJudgments: number;
}

export interface RunEvaluation {
  /** Metric name, such as "ndcg@10" or "map", to its value per judged query (null when undefined). */
  perQuery: Record<string, Map<string, number | null>>;
  /** Mean of each metric over the queries where it is defined; null when it is defined for none. */
  means: Record<string, number | null>;
  counts: RunCounts;
}

/**
 * Evaluates a run against qrels over every judged query. Metric names are `ndcg@k`, `recall@k`,
 * `precision@k` and `mrr@k` for each k of `options.ks`, and `map` for average precision over the
 * whole ranking. See ranking-metrics.ts for each definition and for when a metric is null.
 */
export function evaluateRun(run: Run, qrels: Qrels, options: EvaluateRunOptions): RunEvaluation {
  const ks = [...new Set(options.ks)];
  if (ks.length === 0) throw new RangeError("evaluateRun option ks must list at least one cutoff");
  for (const k of ks) requirePositiveInteger("evaluateRun option ks entry", k);
  const minGrade = options.minGrade ?? GRADE_MODERATE;
  const gains = options.gains ?? "graded";

  const metricNames: string[] = [];
  for (const k of ks) metricNames.push(`ndcg@${k}`, `recall@${k}`, `precision@${k}`, `mrr@${k}`);
  metricNames.push("map");
  const perQuery: Record<string, Map<string, number | null>> = {};
  for (const name of metricNames) perQuery[name] = new Map();
  const record = (name: string, queryId: string, value: number | null): void => {
    perQuery[name]!.set(queryId, value);
  };

  let judgedQueriesMissingFromRun = 0;
  for (const [queryId, judgments] of qrels) {
    const ranking = run.get(queryId);
    if (ranking === undefined) judgedQueriesMissingFromRun += 1;
    const ranked = ranking ?? [];
    requireDistinct(ranked, queryId);

    const rawLabels = options.rawLabels?.get(queryId);
    for (const k of ks) {
      record(`ndcg@${k}`, queryId, ndcgAtK(ranked, judgments, k, rawLabels ? { gains, rawLabels } : { gains }));
      record(`recall@${k}`, queryId, recallAtK(ranked, judgments, k, minGrade));
      record(`precision@${k}`, queryId, precisionAtK(ranked, judgments, k, minGrade));
      record(`mrr@${k}`, queryId, mrrAtK(ranked, judgments, k, minGrade));
    }
    record("map", queryId, averagePrecision(ranked, judgments, minGrade));
  }

  let runQueriesWithoutJudgments = 0;
  for (const queryId of run.keys()) if (!qrels.has(queryId)) runQueriesWithoutJudgments += 1;

  const means: Record<string, number | null> = {};
  const excluded: Record<string, number> = {};
  for (const name of metricNames) {
    const summary = meanOfDefined(perQuery[name]!.values());
    means[name] = summary.mean;
    excluded[name] = summary.nullCount;
  }

  return {
    perQuery,
    means,
    counts: { queries: qrels.size, excluded, judgedQueriesMissingFromRun, runQueriesWithoutJudgments },
  };
}

/** Returns the mean of the non-null values, null when there are none, and how many were null. */
export function meanOfDefined(values: Iterable<number | null>): { mean: number | null; nullCount: number } {
  let sum = 0;
  let count = 0;
  let nullCount = 0;
  for (const value of values) {
    if (value === null) {
      nullCount += 1;
      continue;
    }
    sum += value;
    count += 1;
  }
  return { mean: count > 0 ? sum / count : null, nullCount };
}
