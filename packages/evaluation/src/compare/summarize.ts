import type { Grade } from "@mine-refine/core";
import { evaluateRun } from "../evaluate-run.js";
import type { GainPreset, GainScheme } from "../gains.js";
import type { Qrels, RawLabels } from "../qrels.js";
import { rerankNdcg } from "../rerank.js";
import type { SystemRun } from "./systems.js";

/** Metrics of one system on one split, with per-query values kept for significance tests. */
export interface SystemSummary {
  name: string;
  /** Metric name → mean over queries where it is defined (null when defined for none). */
  means: Record<string, number | null>;
  /** Metric name → per-query values in the order of `queryIds`; null where undefined. */
  perQuery: Record<string, (number | null)[]>;
  excluded: Record<string, number>;
}

/** Gains and the relevance cut of the ranking metrics. */
export interface MetricOptions {
  /** Gains of NDCG. Default "graded". */
  gains?: GainPreset | GainScheme;
  /** Lowest grade that counts as relevant for recall, precision, MRR and MAP. Default GRADE_MODERATE. */
  minGrade?: Grade;
  /** Raw labels, needed by gain schemes that read them such as "esci". */
  rawLabels?: RawLabels;
}

/**
 * Computes the full-catalog ranking metrics, the re-ranking NDCG over each query's judged products
 * (complete list and @10) for one system run.
 */
export function summarizeRun(
  run: SystemRun,
  qrels: Qrels,
  queryIds: readonly string[],
  ks: readonly number[],
  options: MetricOptions = {},
): SystemSummary {
  const ranking = evaluateRun(run.rankings, qrels, {
    ks,
    gains: options.gains ?? "graded",
    ...(options.minGrade !== undefined && { minGrade: options.minGrade }),
    ...(options.rawLabels !== undefined && { rawLabels: options.rawLabels }),
  });
  const rerankOptions = {
    ...(options.gains !== undefined && { gains: options.gains }),
    ...(options.rawLabels !== undefined && { rawLabels: options.rawLabels }),
  };
  const rerankAll = rerankNdcg(run.judgedScores, qrels, undefined, rerankOptions);
  const rerank10 = rerankNdcg(run.judgedScores, qrels, 10, rerankOptions);

  const perQuery: Record<string, (number | null)[]> = {};
  const means: Record<string, number | null> = { ...ranking.means };
  const excluded: Record<string, number> = { ...ranking.counts.excluded };
  for (const [name, values] of Object.entries(ranking.perQuery)) {
    perQuery[name] = queryIds.map((id) => values.get(id) ?? null);
  }
  perQuery["rerank-ndcg"] = queryIds.map((id) => rerankAll.perQuery.get(id) ?? null);
  perQuery["rerank-ndcg@10"] = queryIds.map((id) => rerank10.perQuery.get(id) ?? null);
  means["rerank-ndcg"] = rerankAll.mean;
  means["rerank-ndcg@10"] = rerank10.mean;
  excluded["rerank-ndcg"] = rerankAll.excluded;
  excluded["rerank-ndcg@10"] = rerank10.excluded;
  return { name: run.name, means, perQuery, excluded };
}

/** Scores and grades of every judged pair of a run, grouped by query, for separation statistics. */
export function judgedScoreGroups(run: SystemRun, qrels: Qrels): Map<string, { scores: number[]; grades: Grade[] }> {
  const groups = new Map<string, { scores: number[]; grades: Grade[] }>();
  for (const [queryId, judgments] of qrels) {
    const scores = run.judgedScores.get(queryId);
    if (scores === undefined) continue;
    const group = { scores: [] as number[], grades: [] as Grade[] };
    for (const [productId, grade] of judgments) {
      const score = scores.get(productId);
      if (score === undefined) continue;
      group.scores.push(score);
      group.grades.push(grade);
    }
    groups.set(queryId, group);
  }
  return groups;
}
