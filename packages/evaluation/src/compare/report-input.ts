import { formatMetric } from "../render.js";
import type { ReportInput, ReportSystem } from "../report/types.js";
import type { Comparison } from "./evaluate-comparison.js";

/**
 * Builds the input of the HTML and Markdown reports from a comparison: metric means with intervals,
 * Holm-adjusted pairwise comparisons, score histograms, quantiles, separation, threshold curves
 * with the dev threshold, and segments. Hybrid weights, threshold drift, typo robustness and lexical
 * agreement, which the report has no table for, become notes.
 */
export function buildReportInput(
  comparison: Comparison,
  context: { title: string; datasetName: string; createdAt: string; notes?: readonly string[] },
): ReportInput {
  const systems: ReportSystem[] = comparison.systems.map((system) => {
    const metrics: ReportSystem["metrics"] = {};
    for (const metric of comparison.metrics) {
      const interval = system.intervals[metric];
      metrics[metric] = {
        mean: system.means[metric] ?? null,
        ...(interval !== null && interval !== undefined && { ciLow: interval.lower, ciHigh: interval.upper }),
      };
    }
    const [high, low] = system.separation;
    const quantiles: NonNullable<ReportSystem["quantiles"]> = { "0": {}, "1": {}, "2": {} };
    for (const grade of [0, 1, 2] as const) {
      const values = system.quantiles[grade].quantiles;
      if (values === null) continue;
      ["p05", "p25", "p50", "p75", "p95"].forEach((name, i) => {
        quantiles[String(grade) as "0" | "1" | "2"][name] = values[i]!;
      });
    }
    return {
      name: system.name,
      kind: system.kind,
      metrics,
      ...(system.histogram !== undefined && { histogram: system.histogram }),
      quantiles,
      separation: {
        "2>1": { withinQuery: high?.withinQueryMean ?? null, global: high?.global ?? null },
        "1>0": { withinQuery: low?.withinQueryMean ?? null, global: low?.global ?? null },
      },
      thresholdCurves: system.thresholds.curves.filter((curve) => curve.points.length > 0),
    };
  });

  const comparisons: ReportInput["comparisons"] = [];
  for (const metric of comparison.metrics) {
    for (const row of comparison.comparisons[metric] ?? []) {
      comparisons.push({
        metric,
        a: row.systemA,
        b: row.systemB,
        meanDifference: row.meanDifference,
        ciLow: row.ciLower,
        ciHigh: row.ciUpper,
        pValue: row.pValueHolm,
      });
    }
  }

  return {
    title: context.title,
    createdAt: context.createdAt,
    dataset: {
      name: context.datasetName,
      split: comparison.split,
      queries: comparison.queries,
      products: comparison.products,
      judgments: comparison.judgments,
    },
    systems,
    metrics: comparison.metrics,
    comparisons,
    segments: comparison.segments,
    notes: [...(context.notes ?? []), ...comparisonNotes(comparison)],
  };
}

/** Describes in one sentence each the findings that the report tables do not show. */
export function comparisonNotes(comparison: Comparison): string[] {
  const notes = [
    `Full-catalog retrieval over ${comparison.products} products; unjudged products count as irrelevant. NDCG gains: ${comparison.gains}. ` +
      `Recall, precision, MRR and MAP count grade ${comparison.minGrade} and above as relevant. Intervals are 95% bootstrap intervals over queries; ` +
      "comparison p-values come from a paired randomization test, Holm-adjusted over the system pairs of each metric.",
  ];
  for (const hybrid of comparison.hybrids) {
    if (hybrid.method === "rrf") {
      notes.push(`Hybrid ${hybrid.name}: reciprocal rank fusion (k = ${hybrid.rrfK}) of ${hybrid.dense} and ${hybrid.lexical}.`);
      continue;
    }
    const grid = hybrid.choice?.grid.map((point) => `${point.denseWeight}: ${formatMetric(point.value, 3)}`).join(", ");
    notes.push(
      `Hybrid ${hybrid.name}: ${hybrid.denseWeight} · ${hybrid.dense} + ${1 - (hybrid.denseWeight ?? 0)} · ${hybrid.lexical}, scores min-max scaled per query over the union of both top lists` +
        (grid === undefined ? "." : `; dense weight chosen on dev by ${hybrid.choice!.metric} (${grid}).`),
    );
  }
  for (const system of comparison.systems) {
    const drift = system.thresholds.drift
      .map((cut) => {
        const spread = cut.perQuery.quantiles;
        return (
          `grade ≥ ${cut.minGrade}: dev ${formatMetric(cut.dev, 3)}, test ${formatMetric(cut.test, 3)}` +
          (spread === null ? "" : `, per-query best p05–p95 ${formatMetric(spread.p05, 3)}–${formatMetric(spread.p95, 3)} (IQR ${formatMetric(cut.perQuery.interquartileRange, 3)}, ${cut.perQuery.queries} queries)`)
        );
      })
      .join("; ");
    notes.push(`Threshold drift of ${system.name}: ${drift}.`);
  }
  for (const typo of comparison.typos) {
    if (typo.queries === 0) continue;
    notes.push(
      `Misspelled queries, ${typo.system}: NDCG@10 ${formatMetric(typo.misspelled)} against ${formatMetric(typo.original)} for the same ${typo.queries} originals ` +
        `(difference ${formatMetric(typo.difference)}, 95% CI [${formatMetric(typo.ciLower)}, ${formatMetric(typo.ciUpper)}], p ${formatMetric(typo.pValue)}).`,
    );
  }
  for (const agreement of comparison.lexicalAgreement) {
    notes.push(`Lexical agreement: ${agreement.a} and ${agreement.b} share ${formatMetric(agreement.meanOverlap, 3)} of their top ${agreement.k} on average.`);
  }
  return notes;
}
