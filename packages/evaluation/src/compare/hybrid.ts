import { evaluateRun } from "../evaluate-run.js";
import type { GainPreset, GainScheme } from "../gains.js";
import type { Qrels, RawLabels } from "../qrels.js";
import { emptyRun } from "./run-systems.js";
import type { SystemRun } from "./systems.js";

/** Default constant k of reciprocal rank fusion. */
export const DEFAULT_RRF_K = 60;

/** Dense weights tried when a weighted blend chooses its weight on dev: 0, 0.1, …, 1. */
export const DEFAULT_DENSE_WEIGHT_GRID: readonly number[] = Array.from({ length: 11 }, (_, i) => i / 10);

export interface ScoredProduct {
  productId: string;
  score: number;
}

/**
 * Fuses ranked lists by reciprocal rank fusion: each product scores Σ 1 / (k + rank) over the lists
 * that contain it, with ranks from 1. A larger k flattens the gap between top and lower ranks.
 * Returns every product of any list, best first, ties broken by product id.
 */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k: number = DEFAULT_RRF_K): ScoredProduct[] {
  if (!(k >= 0 && Number.isFinite(k))) throw new RangeError(`reciprocalRankFusion k must be a finite number >= 0, received ${k}`);
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((productId, position) => {
      scores.set(productId, (scores.get(productId) ?? 0) + 1 / (k + position + 1));
    });
  }
  return sortScored([...scores].map(([productId, score]) => ({ productId, score })));
}

/**
 * Maps values linearly so that the smallest of `reference` becomes 0 and the largest 1. Values
 * outside the reference range map outside [0, 1]. When every reference value is equal the scale
 * carries no ranking information, so every value maps to 0.
 */
export function minMaxScale(reference: readonly number[]): (value: number) => number {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of reference) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const range = max - min;
  if (!(range > 0)) return () => 0;
  return (value) => (value - min) / range;
}

/** A query's fusion candidates with both systems' scores, min-max scaled over the candidates. */
export interface BlendCandidates {
  productIds: string[];
  dense: number[];
  lexical: number[];
  /** Scaled scores of the query's judged products, with the same scales as the candidates. */
  judged: Map<string, { dense: number; lexical: number }>;
}

/**
 * Collects a query's candidates, the union of both systems' top lists, and scores every candidate
 * with both systems exactly (a candidate missing from one list is scored by that system's kept
 * embeddings or index). Each system's scores are min-max scaled over the candidates, so a weight
 * of 0.5 gives both systems equal influence. Judged products outside the candidates get the same scales.
 */
export async function collectBlendCandidates(dense: SystemRun, lexical: SystemRun, queryId: string): Promise<BlendCandidates> {
  const productIds = [...new Set([...(dense.rankings.get(queryId) ?? []), ...(lexical.rankings.get(queryId) ?? [])])];
  const denseRaw = await scoreWith(dense, queryId, productIds);
  const lexicalRaw = await scoreWith(lexical, queryId, productIds);
  const denseScale = minMaxScale(denseRaw);
  const lexicalScale = minMaxScale(lexicalRaw);

  const judged = new Map<string, { dense: number; lexical: number }>();
  const denseJudged = dense.judgedScores.get(queryId) ?? new Map<string, number>();
  const lexicalJudged = lexical.judgedScores.get(queryId) ?? new Map<string, number>();
  for (const [productId, denseScore] of denseJudged) {
    const lexicalScore = lexicalJudged.get(productId);
    if (lexicalScore === undefined) continue;
    judged.set(productId, { dense: denseScale(denseScore), lexical: lexicalScale(lexicalScore) });
  }
  return { productIds, dense: denseRaw.map(denseScale), lexical: lexicalRaw.map(lexicalScale), judged };
}

/** Ranks candidates by `denseWeight · dense + (1 − denseWeight) · lexical`, best first, ties by product id. */
export function blendCandidates(candidates: BlendCandidates, denseWeight: number): ScoredProduct[] {
  requireWeight(denseWeight);
  return sortScored(
    candidates.productIds.map((productId, i) => ({
      productId,
      score: denseWeight * candidates.dense[i]! + (1 - denseWeight) * candidates.lexical[i]!,
    })),
  );
}

export interface FuseOptions {
  name: string;
  method: "rrf" | "weighted";
  /** Query ids to fuse; each must be in both runs. */
  queryIds: readonly string[];
  /** Length of each fused ranking. */
  maxK: number;
  /** RRF constant. Default 60. */
  rrfK?: number;
  /** Weight of the dense score in a weighted blend, in [0, 1]. Required for "weighted". */
  denseWeight?: number;
}

/**
 * Fuses a dense run and a lexical run into a hybrid run. The judged scores of the hybrid are its
 * fused scores, so grade separation and thresholds measure the blended score. Under RRF a judged
 * product in neither top list scores 0.
 */
export async function fuseRuns(dense: SystemRun, lexical: SystemRun, options: FuseOptions): Promise<SystemRun> {
  const run = emptyRun(options.name);
  for (const queryId of options.queryIds) {
    if (options.method === "rrf") {
      const fused = reciprocalRankFusion([dense.rankings.get(queryId) ?? [], lexical.rankings.get(queryId) ?? []], options.rrfK);
      setFused(run, queryId, fused.slice(0, options.maxK));
      const byProduct = new Map(fused.map((item) => [item.productId, item.score]));
      const judged = new Map<string, number>();
      for (const productId of dense.judgedScores.get(queryId)?.keys() ?? []) judged.set(productId, byProduct.get(productId) ?? 0);
      run.judgedScores.set(queryId, judged);
      continue;
    }
    const weight = options.denseWeight;
    if (weight === undefined) throw new RangeError(`fuseRuns "${options.name}": a weighted blend needs denseWeight; choose it with chooseDenseWeight`);
    const candidates = await collectBlendCandidates(dense, lexical, queryId);
    setFused(run, queryId, blendCandidates(candidates, weight).slice(0, options.maxK));
    run.judgedScores.set(queryId, blendJudged(candidates, weight));
  }
  return run;
}

export interface DenseWeightChoice {
  /** The weight with the highest dev metric; the lowest such weight on a tie. */
  denseWeight: number;
  metric: string;
  /** Dev metric mean of every weight of the grid, in grid order. */
  grid: { denseWeight: number; value: number | null }[];
}

/**
 * Chooses the dense weight of a weighted blend on dev queries: fuses at every weight of the grid
 * and keeps the one with the highest mean NDCG@10 (or `metric`). Candidates are collected once per
 * query and reused for every weight.
 */
export async function chooseDenseWeight(
  dense: SystemRun,
  lexical: SystemRun,
  devQrels: Qrels,
  options: {
    grid?: readonly number[];
    maxK: number;
    metric?: string;
    gains?: GainPreset | GainScheme;
    rawLabels?: RawLabels;
  },
): Promise<DenseWeightChoice> {
  const grid = options.grid ?? DEFAULT_DENSE_WEIGHT_GRID;
  if (grid.length === 0) throw new RangeError("chooseDenseWeight grid must list at least one weight");
  grid.forEach(requireWeight);
  const metric = options.metric ?? "ndcg@10";
  const cutoff = Number(metric.split("@")[1] ?? Number.NaN);
  if (!Number.isInteger(cutoff) || cutoff <= 0) throw new RangeError(`chooseDenseWeight metric must look like "ndcg@10", received "${metric}"`);
  if (devQrels.size === 0) throw new RangeError("chooseDenseWeight needs judged dev queries, but the dev qrels are empty");

  const candidates = new Map<string, BlendCandidates>();
  for (const queryId of devQrels.keys()) candidates.set(queryId, await collectBlendCandidates(dense, lexical, queryId));

  const results: DenseWeightChoice["grid"] = [];
  let best: { denseWeight: number; value: number } | undefined;
  for (const denseWeight of grid) {
    const rankings = new Map<string, string[]>();
    for (const [queryId, queryCandidates] of candidates) {
      rankings.set(queryId, blendCandidates(queryCandidates, denseWeight).slice(0, options.maxK).map((item) => item.productId));
    }
    const evaluation = evaluateRun(rankings, devQrels, {
      ks: [cutoff],
      gains: options.gains ?? "graded",
      ...(options.rawLabels !== undefined && { rawLabels: options.rawLabels }),
    });
    const value = evaluation.means[metric];
    if (value === undefined) throw new RangeError(`chooseDenseWeight metric "${metric}" is not computed by evaluateRun; use ndcg@k, recall@k, precision@k or mrr@k`);
    results.push({ denseWeight, value });
    if (value !== null && (best === undefined || value > best.value)) best = { denseWeight, value };
  }
  return { denseWeight: best?.denseWeight ?? grid[0]!, metric, grid: results };
}

function blendJudged(candidates: BlendCandidates, denseWeight: number): Map<string, number> {
  const judged = new Map<string, number>();
  for (const [productId, scores] of candidates.judged) {
    judged.set(productId, denseWeight * scores.dense + (1 - denseWeight) * scores.lexical);
  }
  return judged;
}

async function scoreWith(run: SystemRun, queryId: string, productIds: string[]): Promise<number[]> {
  if (run.scoreProducts === undefined) {
    throw new RangeError(`Run "${run.name}" keeps no scorer, so it cannot be fused; fuse runs returned by runSystems`);
  }
  return run.scoreProducts(queryId, productIds);
}

function setFused(run: SystemRun, queryId: string, ranked: ScoredProduct[]): void {
  run.scoredRankings.set(queryId, ranked);
  run.rankings.set(queryId, ranked.map((item) => item.productId));
}

function sortScored(items: ScoredProduct[]): ScoredProduct[] {
  return items.sort((a, b) => {
    if (a.score !== b.score) return b.score - a.score;
    return compareIds(a.productId, b.productId);
  });
}

/** Orders ids by UTF-16 code units, so ties break the same way on every machine. */
export function compareIds(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function requireWeight(weight: number): void {
  if (!(weight >= 0 && weight <= 1)) throw new RangeError(`A dense weight must be in [0, 1], received ${weight}`);
}
