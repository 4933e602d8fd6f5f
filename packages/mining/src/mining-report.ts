import { GRADE_IRRELEVANT, GRADE_NAMES, GRADES, type Grade } from "@mine-refine/core";
import type { GradedCandidate } from "./grade-candidates.js";
import type { HardPairCounts } from "./hard-pairs.js";

/** Inclusive 1-based rank bands of the report. */
export const DEFAULT_RANK_BANDS: readonly [number, number][] = [
  [1, 10],
  [11, 20],
  [21, 50],
  [51, 100],
  [101, Number.POSITIVE_INFINITY],
];

export interface ScoreSummary {
  count: number;
  mean: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface MiningReport {
  counts: HardPairCounts;
  gradingFailures: Record<string, number>;
  /** Graded candidates per rank band and grade. */
  bands: { band: string; total: number; byGrade: Record<Grade, number> }[];
  /** Presumed negatives (unjudged neighbours) that the judge graded moderately relevant or relevant. */
  falseNegativesAvoided: number;
  scoresByGrade: Record<Grade, ScoreSummary>;
  annRecall?: { k: number; recall: number; queries: number };
}

/** Summarises a mining pass: where candidates came from, what the judge said, and how scores spread per grade. */
export function miningReport(input: {
  counts: HardPairCounts;
  graded: readonly GradedCandidate[];
  gradingFailures?: Record<string, number>;
  annRecall?: MiningReport["annRecall"];
  rankBands?: readonly [number, number][];
}): MiningReport {
  const bands = (input.rankBands ?? DEFAULT_RANK_BANDS).map(([low, high]) => ({
    band: Number.isFinite(high) ? `${low}-${high}` : `${low}+`,
    low,
    high,
    total: 0,
    byGrade: { 0: 0, 1: 0, 2: 0 } as Record<Grade, number>,
  }));
  const scores: Record<Grade, number[]> = { 0: [], 1: [], 2: [] };
  let falseNegativesAvoided = 0;
  for (const candidate of input.graded) {
    const band = bands.find((item) => candidate.rank >= item.low && candidate.rank <= item.high);
    if (band !== undefined) {
      band.total++;
      band.byGrade[candidate.grade]++;
    }
    scores[candidate.grade].push(candidate.score);
    if (candidate.grade > GRADE_IRRELEVANT) falseNegativesAvoided++;
  }
  return {
    counts: input.counts,
    gradingFailures: input.gradingFailures ?? {},
    bands: bands.map(({ band, total, byGrade }) => ({ band, total, byGrade })),
    falseNegativesAvoided,
    scoresByGrade: { 0: summarize(scores[0]), 1: summarize(scores[1]), 2: summarize(scores[2]) },
    ...(input.annRecall === undefined ? {} : { annRecall: input.annRecall }),
  };
}

function summarize(values: number[]): ScoreSummary {
  if (values.length === 0) return { count: 0, mean: Number.NaN, p10: Number.NaN, p50: Number.NaN, p90: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))]!;
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count: sorted.length, mean: sum / sorted.length, p10: at(0.1), p50: at(0.5), p90: at(0.9) };
}

/** Renders the report as Markdown. */
export function formatMiningReport(report: MiningReport): string {
  const fmt = (x: number): string => (Number.isNaN(x) ? "–" : x.toFixed(3));
  const c = report.counts;
  const lines = [
    "## Mining",
    "",
    `Queries ${c.queries}, neighbours ${c.neighbours}: already judged ${c.alreadyJudged}, outside the rank window ${c.outsideRankWindow}, outside the score margin ${c.outsideMargin}, over the per-query cap ${c.overQueryCap}; candidates ${c.candidates}; hard positives ${c.hardPositives}.`,
  ];
  if (report.annRecall !== undefined) {
    lines.push("", `ANN recall@${report.annRecall.k} against exact search: ${report.annRecall.recall.toFixed(4)} on ${report.annRecall.queries} queries.`);
  }
  const failures = Object.entries(report.gradingFailures);
  if (failures.length > 0) lines.push("", `Grading failures: ${failures.map(([code, n]) => `${code} ${n}`).join(", ")}.`);
  lines.push(
    "",
    `Presumed negatives the judge found relevant or moderately relevant (false negatives avoided): ${report.falseNegativesAvoided}.`,
    "",
    `| rank band | graded | ${GRADES.map((g) => GRADE_NAMES[g]).join(" | ")} |`,
    `|---|---:|${GRADES.map(() => "---:").join("|")}|`,
    ...report.bands.map((band) => `| ${band.band} | ${band.total} | ${GRADES.map((g) => band.byGrade[g]).join(" | ")} |`),
    "",
    "| grade | count | mean score | p10 | p50 | p90 |",
    "|---|---:|---:|---:|---:|---:|",
    ...GRADES.map((g) => {
      const s = report.scoresByGrade[g];
      return `| ${GRADE_NAMES[g]} | ${s.count} | ${fmt(s.mean)} | ${fmt(s.p10)} | ${fmt(s.p50)} | ${fmt(s.p90)} |`;
    }),
  );
  return `${lines.join("\n")}\n`;
}
