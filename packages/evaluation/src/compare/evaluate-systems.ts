import type { Dataset, Grade, ProgressCallback, Query } from "@mine-refine/core";
import type { Qrels } from "../qrels.js";
import { type AdjacentSeparation, adjacentSeparation, type GradeScoreSummary, gradeQuantiles } from "../separation.js";
import { compareSystems, pairedBootstrap, type SystemComparison } from "../significance.js";
import { runSystems } from "./run-systems.js";
import { poolScores } from "./score-distribution.js";
import { judgedScoreGroups, type SystemSummary, summarizeRun } from "./summarize.js";
import { buildQrels, type DenseSystem, type LexicalSystem, type SystemRun } from "./systems.js";

export interface EvaluateSystemsOptions {
  /** Cut-offs of the ranking metrics. */
  ks: readonly number[];
  /** Seed of the bootstrap and randomization tests. */
  seed: number;
  /** Resamples of the bootstrap and the randomization test. Default 2,000. */
  samples?: number;
  /** Metrics that get pairwise significance tests. Default ndcg@10, recall@100 (when 100 is a cut-off) and rerank-ndcg. */
  significanceMetrics?: readonly string[];
  progress?: ProgressCallback;
}

export interface SystemResult {
  name: string;
  kind: "dense" | "lexical" | "hybrid";
  /** Metric → mean over the queries where the metric is defined. */
  means: Record<string, number | null>;
  /** Metric → 95% percentile bootstrap interval of the mean. */
  intervals: Record<string, { lower: number; upper: number } | null>;
  /** Metric → queries left out of the mean because the metric is undefined there. */
  excluded: Record<string, number>;
  /** Probability that a higher-grade product scores above a lower-grade one, for 2 over 1 and 1 over 0. */
  separation: AdjacentSeparation[];
  /** Score quantiles of judged pairs per grade. */
  quantiles: Record<Grade, GradeScoreSummary>;
}

export interface SystemsEvaluation {
  queries: number;
  products: number;
  judgments: number;
  ks: number[];
  systems: SystemResult[];
  /** Metric → pairwise comparisons (A minus B) with bootstrap intervals and randomization p-values. */
  comparisons: Record<string, SystemComparison[]>;
}

/**
 * Evaluates systems over the whole catalog on the given queries: ranking metrics (unjudged products
 * count as grade 0), re-ranking NDCG over judged products, grade separation and score quantiles,
 * and pairwise significance tests across queries.
 */
export async function evaluateSystems(
  dataset: Dataset,
  queries: readonly Query[],
  systems: (DenseSystem | LexicalSystem)[],
  options: EvaluateSystemsOptions,
): Promise<{ evaluation: SystemsEvaluation; runs: SystemRun[]; qrels: Qrels }> {
  const qrels = buildQrels(dataset, queries.map((query) => query.id));
  const judgedQueries = queries.filter((query) => qrels.has(query.id));
  const queryIds = judgedQueries.map((query) => query.id);
  const ks = [...new Set(options.ks)].sort((a, b) => a - b);
  const maxK = ks[ks.length - 1] ?? 10;
  const samples = options.samples ?? 2000;

  const runs = await runSystems(dataset, judgedQueries, systems, { maxK, progress: options.progress });
  const summaries = runs.map((run) => summarizeRun(run, qrels, queryIds, ks));

  const results = runs.map((run, i) => buildSystemResult(run, summaries[i]!, systems[i]!.kind, qrels, { seed: options.seed, samples }));
  const significanceMetrics =
    options.significanceMetrics ?? ["ndcg@10", ...(ks.includes(100) ? ["recall@100"] : []), "rerank-ndcg"];
  const comparisons = compareSummaries(summaries, queryIds, significanceMetrics, { seed: options.seed, samples });

  return {
    evaluation: {
      queries: judgedQueries.length,
      products: dataset.products.length,
      judgments: [...qrels.values()].reduce((sum, row) => sum + row.size, 0),
      ks,
      systems: results,
      comparisons,
    },
    runs,
    qrels,
  };
}

/**
 * Builds one system's result on a split: metric means with 95% bootstrap intervals over queries,
 * grade separation and score quantiles of its judged pairs.
 */
export function buildSystemResult(
  run: SystemRun,
  summary: SystemSummary,
  kind: SystemResult["kind"],
  qrels: Qrels,
  options: { seed: number; samples: number },
): SystemResult {
  const groups = judgedScoreGroups(run, qrels);
  const { scores, grades } = poolScores(groups);
  const intervals: SystemResult["intervals"] = {};
  for (const [metric, values] of Object.entries(summary.perQuery)) {
    const defined = values.filter((value): value is number => value !== null);
    if (defined.length === 0) {
      intervals[metric] = null;
      continue;
    }
    const interval = pairedBootstrap(defined, new Array<number>(defined.length).fill(0), options);
    intervals[metric] = { lower: interval.lower, upper: interval.upper };
  }
  return {
    name: run.name,
    kind,
    means: summary.means,
    intervals,
    excluded: summary.excluded,
    separation: adjacentSeparation(groups),
    quantiles: gradeQuantiles(scores, grades),
  };
}

/**
 * Compares every pair of systems on each metric with a paired bootstrap interval and a paired
 * randomization test. The p-values are Holm-adjusted over the pairs of each metric. Metrics that no
 * summary has are skipped, and fewer than two systems give no comparisons.
 */
export function compareSummaries(
  summaries: readonly SystemSummary[],
  queryIds: readonly string[],
  metrics: readonly string[],
  options: { seed: number; samples: number },
): Record<string, SystemComparison[]> {
  const comparisons: Record<string, SystemComparison[]> = {};
  if (summaries.length < 2) return comparisons;
  for (const metric of metrics) {
    const table = new Map<string, Map<string, number | null>>();
    for (const summary of summaries) {
      const values = summary.perQuery[metric];
      if (values === undefined) continue;
      table.set(summary.name, new Map(queryIds.map((id, q) => [id, values[q] ?? null])));
    }
    if (table.size < 2) continue;
    comparisons[metric] = compareSystems(table, options);
  }
  return comparisons;
}
