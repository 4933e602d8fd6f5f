import type { Dataset, Grade, Judgment, ProgressCallback, Query } from "@mine-refine/core";
import { meanOfDefined } from "../evaluate-run.js";
import type { GainPreset } from "../gains.js";
import type { Qrels, RawLabels } from "../qrels.js";
import { pairedBootstrap, pairedRandomizationTest } from "../significance.js";
import { buildSystemResult, compareSummaries, type SystemResult } from "./evaluate-systems.js";
import { chooseDenseWeight, type DenseWeightChoice, fuseRuns } from "./hybrid.js";
import { runSystems } from "./run-systems.js";
import { scoreHistogram, type ScoreHistogram, poolScores } from "./score-distribution.js";
import { segmentQueries } from "./segments.js";
import { judgedScoreGroups, type MetricOptions, type SystemSummary, summarizeRun } from "./summarize.js";
import { analyseThresholds, type SystemThresholds } from "./system-thresholds.js";
import { buildQrels, type DenseSystem, type HybridSystem, type LexicalSystem, type SystemRun } from "./systems.js";

/** A misspelled copy of a test query, judged like its original (see `createTypoGenerator` in `@mine-refine/data`). */
export interface TypoQuery extends Query {
  originalId: string;
}

export interface ComparisonOptions {
  /** Cut-offs of the ranking metrics. */
  ks: readonly number[];
  /** Seed of the bootstrap and randomization tests. */
  seed: number;
  /** Resamples of the bootstrap and the randomization test. Default 2,000. */
  samples?: number;
  /** Gains of NDCG. Default "graded"; "esci" reads the raw labels of the judgments. */
  gains?: GainPreset;
  /** Lowest grade that counts as relevant for recall, precision, MRR and MAP. Default GRADE_MODERATE. */
  minGrade?: Grade;
  /** Hybrids of two named systems, evaluated like the others. */
  hybrids?: readonly HybridSystem[];
  /** Dense weights tried for a weighted hybrid without a fixed weight. Default 0, 0.1, …, 1. */
  denseWeightGrid?: readonly number[];
  /** RRF constant. Default 60. */
  rrfK?: number;
  progress?: ProgressCallback;
}

/** The typo-robustness check of one system: NDCG@10 on misspelled test queries against their originals. */
export interface TypoComparison {
  system: string;
  queries: number;
  original: number;
  misspelled: number;
  /** misspelled − original, with a 95% paired bootstrap interval and a randomization p-value. */
  difference: number;
  ciLower: number;
  ciUpper: number;
  pValue: number;
}

/** Everything one comparison measures, as written to `metrics.json`. */
export interface Comparison {
  split: string;
  queries: number;
  products: number;
  judgments: number;
  ks: number[];
  gains: GainPreset;
  minGrade: Grade;
  /** Every metric, in display order. */
  metrics: string[];
  systems: (SystemResult & { histogram?: ScoreHistogram; thresholds: SystemThresholds })[];
  /** Metric → pairwise comparisons with bootstrap intervals, randomization and Holm-adjusted p-values. */
  comparisons: SystemsComparisons;
  /** Weights of hybrid systems: the dev grid for weighted blends. */
  hybrids: { name: string; method: "rrf" | "weighted"; dense: string; lexical: string; rrfK?: number; denseWeight?: number; choice?: DenseWeightChoice }[];
  /** Metric means per segment of the test queries, including the misspelled copies. */
  segments: { segment: string; queries: number; values: Record<string, Record<string, number | null>> }[];
  typos: TypoComparison[];
  /** Agreement of every pair of lexical systems on the test queries. */
  lexicalAgreement: { a: string; b: string; k: number; meanOverlap: number }[];
}

type SystemsComparisons = ReturnType<typeof compareSummaries>;

/**
 * Compares systems on a test split with everything the report shows. It runs every system once over
 * the dev, test and misspelled test queries and fuses the hybrids. A weighted blend takes its dense
 * weight from dev NDCG@10. On test it computes ranking metrics with bootstrap intervals, pairwise
 * significance on every metric, grade separation, score histograms, dev-chosen thresholds with
 * their test precision and recall, threshold drift, and segment metrics.
 */
export async function evaluateComparison(
  dataset: Dataset,
  split: { name: string; dev: readonly Query[]; test: readonly Query[]; typos?: readonly TypoQuery[] },
  systems: (DenseSystem | LexicalSystem)[],
  options: ComparisonOptions,
): Promise<{ comparison: Comparison; runs: SystemRun[]; qrels: Qrels }> {
  const ks = [...new Set(options.ks)].sort((a, b) => a - b);
  const maxK = ks[ks.length - 1] ?? 10;
  const samples = options.samples ?? 2000;
  const gains = options.gains ?? "graded";
  const minGrade = options.minGrade ?? 1;
  const typos = split.typos ?? [];

  const judged = withTypoJudgments(dataset, typos);
  const rawLabels = rawLabelsOf(judged.judgments);
  const metricOptions: MetricOptions = { gains, minGrade, rawLabels };
  const devQrels = buildQrels(judged, split.dev.map((query) => query.id));
  const testQrels = buildQrels(judged, split.test.map((query) => query.id));
  const typoQrels = buildQrels(judged, typos.map((query) => query.id));
  const testQueries = split.test.filter((query) => testQrels.has(query.id));
  const devQueries = split.dev.filter((query) => devQrels.has(query.id));
  const typoQueries = typos.filter((query) => typoQrels.has(query.id));
  const testIds = testQueries.map((query) => query.id);

  const allQueries = [...devQueries, ...testQueries, ...typoQueries];
  const runs = await runSystems(judged, allQueries, systems, { maxK, progress: options.progress });
  const kinds = new Map<string, SystemResult["kind"]>(systems.map((system) => [system.name, system.kind]));

  const hybrids: Comparison["hybrids"] = [];
  for (const hybrid of options.hybrids ?? []) {
    const dense = findRun(runs, hybrid.dense, hybrid.name);
    const lexical = findRun(runs, hybrid.lexical, hybrid.name);
    let denseWeight = hybrid.denseWeight;
    let choice: DenseWeightChoice | undefined;
    if (hybrid.method === "weighted" && denseWeight === undefined) {
      if (devQrels.size === 0) {
        throw new RangeError(`Hybrid "${hybrid.name}" chooses its dense weight on dev, but the dev split has no judged queries; give it a fixed weight or a dev split`);
      }
      choice = await chooseDenseWeight(dense, lexical, devQrels, {
        maxK,
        gains,
        rawLabels,
        ...(options.denseWeightGrid !== undefined && { grid: options.denseWeightGrid }),
      });
      denseWeight = choice.denseWeight;
    }
    runs.push(
      await fuseRuns(dense, lexical, {
        name: hybrid.name,
        method: hybrid.method,
        queryIds: allQueries.map((query) => query.id),
        maxK,
        ...(options.rrfK !== undefined && { rrfK: options.rrfK }),
        ...(denseWeight !== undefined && { denseWeight }),
      }),
    );
    kinds.set(hybrid.name, "hybrid");
    hybrids.push({
      name: hybrid.name,
      method: hybrid.method,
      dense: hybrid.dense,
      lexical: hybrid.lexical,
      ...(hybrid.method === "rrf" ? { rrfK: options.rrfK ?? 60 } : {}),
      ...(denseWeight !== undefined && { denseWeight }),
      ...(choice !== undefined && { choice }),
    });
  }

  const summaries = runs.map((run) => summarizeRun(run, testQrels, testIds, ks, metricOptions));
  const metrics = metricOrder(ks, summaries);
  const results: Comparison["systems"] = runs.map((run, i) => {
    const result = buildSystemResult(run, summaries[i]!, kinds.get(run.name)!, testQrels, { seed: options.seed, samples });
    const testGroups = judgedScoreGroups(run, testQrels);
    const pooled = poolScores(testGroups);
    const histogram = scoreHistogram(pooled.scores, pooled.grades);
    return {
      ...result,
      ...(histogram !== undefined && { histogram }),
      thresholds: analyseThresholds(judgedScoreGroups(run, devQrels), testGroups),
    };
  });

  const comparison: Comparison = {
    split: split.name,
    queries: testQueries.length,
    products: dataset.products.length,
    judgments: countJudgments(testQrels),
    ks,
    gains,
    minGrade,
    metrics,
    systems: results,
    comparisons: compareSummaries(summaries, testIds, metrics, { seed: options.seed, samples }),
    hybrids,
    segments: [],
    typos: [],
    lexicalAgreement: lexicalAgreement(runs, kinds, testIds, Math.min(10, maxK)),
  };

  const segmentMetrics = metrics;
  comparison.segments.push({ segment: "all", queries: testIds.length, values: segmentValues(summaries, testIds, testIds, segmentMetrics) });
  for (const segment of segmentQueries(testQueries, testQrels)) {
    comparison.segments.push({
      segment: segment.name,
      queries: segment.queryIds.length,
      values: segmentValues(summaries, testIds, segment.queryIds, segmentMetrics),
    });
  }
  if (typoQueries.length > 0) {
    const typoIds = typoQueries.map((query) => query.id);
    const typoSummaries = runs.map((run) => summarizeRun(run, typoQrels, typoIds, ks, metricOptions));
    const originalIds = typoQueries.map((query) => query.originalId);
    comparison.segments.push({
      segment: "typo:original",
      queries: originalIds.length,
      values: segmentValues(summaries, testIds, originalIds, segmentMetrics),
    });
    comparison.segments.push({
      segment: "typo:misspelled",
      queries: typoIds.length,
      values: segmentValues(typoSummaries, typoIds, typoIds, segmentMetrics),
    });
    comparison.typos = typoSummaries.map((typoSummary, i) =>
      compareTypos(summaries[i]!, testIds, typoSummary, typoQueries, { seed: options.seed, samples }),
    );
  }
  return { comparison, runs, qrels: testQrels };
}

/** Adds each misspelled query and a copy of its original's judgments under the misspelled id. */
function withTypoJudgments(dataset: Dataset, typos: readonly TypoQuery[]): Dataset {
  if (typos.length === 0) return dataset;
  const byQuery = new Map<string, Judgment[]>();
  for (const judgment of dataset.judgments) {
    const list = byQuery.get(judgment.queryId) ?? [];
    list.push(judgment);
    byQuery.set(judgment.queryId, list);
  }
  const judgments = [...dataset.judgments];
  for (const typo of typos) {
    for (const judgment of byQuery.get(typo.originalId) ?? []) judgments.push({ ...judgment, queryId: typo.id });
  }
  return { ...dataset, queries: [...dataset.queries, ...typos], judgments };
}

function rawLabelsOf(judgments: readonly Judgment[]): RawLabels {
  const labels = new Map<string, Map<string, string>>();
  for (const judgment of judgments) {
    let row = labels.get(judgment.queryId);
    if (row === undefined) {
      row = new Map();
      labels.set(judgment.queryId, row);
    }
    row.set(judgment.productId, judgment.rawLabel);
  }
  return labels;
}

function findRun(runs: readonly SystemRun[], name: string, hybridName: string): SystemRun {
  const run = runs.find((candidate) => candidate.name === name);
  if (run === undefined) {
    throw new RangeError(
      `Hybrid "${hybridName}" fuses system "${name}", which is not evaluated; expected one of ${runs.map((item) => `"${item.name}"`).join(", ")}`,
    );
  }
  return run;
}

/** Orders metrics: NDCG, recall, precision and MRR at each cut-off, then MAP and the re-ranking NDCGs. */
function metricOrder(ks: readonly number[], summaries: readonly SystemSummary[]): string[] {
  const names = [
    ...ks.map((k) => `ndcg@${k}`),
    ...ks.map((k) => `recall@${k}`),
    ...ks.map((k) => `precision@${k}`),
    ...ks.map((k) => `mrr@${k}`),
    "map",
    "rerank-ndcg",
    "rerank-ndcg@10",
  ];
  return names.filter((name) => summaries.some((summary) => name in summary.means));
}

/** Means of each system's per-query values over the segment's queries (`allIds` gives the summary's order). */
function segmentValues(
  summaries: readonly SystemSummary[],
  allIds: readonly string[],
  segmentIds: readonly string[],
  metrics: readonly string[],
): Record<string, Record<string, number | null>> {
  const position = new Map(allIds.map((id, i) => [id, i]));
  const values: Record<string, Record<string, number | null>> = {};
  for (const summary of summaries) {
    const row: Record<string, number | null> = {};
    for (const metric of metrics) {
      const perQuery = summary.perQuery[metric] ?? [];
      row[metric] = meanOfDefined(segmentIds.map((id) => perQuery[position.get(id) ?? -1] ?? null)).mean;
    }
    values[summary.name] = row;
  }
  return values;
}

function compareTypos(
  original: SystemSummary,
  testIds: readonly string[],
  misspelled: SystemSummary,
  typos: readonly TypoQuery[],
  options: { seed: number; samples: number },
): TypoComparison {
  const position = new Map(testIds.map((id, i) => [id, i]));
  const originalValues = original.perQuery["ndcg@10"] ?? [];
  const typoValues = misspelled.perQuery["ndcg@10"] ?? [];
  const a: number[] = [];
  const b: number[] = [];
  typos.forEach((typo, i) => {
    const typoValue = typoValues[i] ?? null;
    const originalValue = originalValues[position.get(typo.originalId) ?? -1] ?? null;
    if (typoValue === null || originalValue === null) return;
    a.push(typoValue);
    b.push(originalValue);
  });
  if (a.length === 0) {
    return { system: original.name, queries: 0, original: Number.NaN, misspelled: Number.NaN, difference: Number.NaN, ciLower: Number.NaN, ciUpper: Number.NaN, pValue: Number.NaN };
  }
  const bootstrap = pairedBootstrap(a, b, options);
  const randomization = pairedRandomizationTest(a, b, options);
  return {
    system: original.name,
    queries: a.length,
    original: meanOfDefined(b).mean!,
    misspelled: meanOfDefined(a).mean!,
    difference: bootstrap.meanDifference,
    ciLower: bootstrap.lower,
    ciUpper: bootstrap.upper,
    pValue: randomization.pValue,
  };
}

/** Mean share of the top-k products that two lexical systems have in common, per pair of lexical systems. */
function lexicalAgreement(
  runs: readonly SystemRun[],
  kinds: ReadonlyMap<string, SystemResult["kind"]>,
  queryIds: readonly string[],
  k: number,
): Comparison["lexicalAgreement"] {
  const lexical = runs.filter((run) => kinds.get(run.name) === "lexical");
  const rows: Comparison["lexicalAgreement"] = [];
  for (let i = 0; i < lexical.length; i++) {
    for (let j = i + 1; j < lexical.length; j++) {
      const a = lexical[i]!;
      const b = lexical[j]!;
      let sum = 0;
      for (const queryId of queryIds) {
        const top = new Set((a.rankings.get(queryId) ?? []).slice(0, k));
        const other = (b.rankings.get(queryId) ?? []).slice(0, k);
        const shared = other.filter((productId) => top.has(productId)).length;
        sum += shared / Math.max(1, Math.max(top.size, other.length));
      }
      rows.push({ a: a.name, b: b.name, k, meanOverlap: queryIds.length > 0 ? sum / queryIds.length : Number.NaN });
    }
  }
  return rows;
}

function countJudgments(qrels: Qrels): number {
  let count = 0;
  for (const row of qrels.values()) count += row.size;
  return count;
}
