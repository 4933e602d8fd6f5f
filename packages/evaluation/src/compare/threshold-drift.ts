import type { Grade } from "@mine-refine/core";
import { quantileOfSorted } from "../quantile.js";

/**
 * Returns, for each query with judged pairs on both sides of "grade ≥ minGrade", the threshold that
 * best separates them within that query: the one maximising balanced accuracy (the mean of the
 * recall of each side). Candidates are the midpoints between consecutive distinct scores; on a tie
 * the lowest wins. A query whose grades a threshold separates perfectly gets the midpoint of its gap.
 */
export function perQueryBestThresholds(
  groups: ReadonlyMap<string, { scores: readonly number[]; grades: readonly Grade[] }>,
  minGrade: Grade,
): Map<string, number> {
  const best = new Map<string, number>();
  for (const [queryId, { scores, grades }] of groups) {
    const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
    let positives = 0;
    for (const grade of grades) if (grade >= minGrade) positives += 1;
    const negatives = grades.length - positives;
    if (positives === 0 || negatives === 0) continue;

    // Walk the scores upwards; below the candidate every pair is predicted negative.
    let negativesBelow = 0;
    let positivesBelow = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    let bestThreshold = Number.NaN;
    let position = 0;
    while (position < order.length) {
      const value = scores[order[position]!]!;
      while (position < order.length && scores[order[position]!] === value) {
        if (grades[order[position]!]! >= minGrade) positivesBelow += 1;
        else negativesBelow += 1;
        position += 1;
      }
      if (position === order.length) break;
      const candidate = value + (scores[order[position]!]! - value) / 2;
      const balanced = (negativesBelow / negatives + (positives - positivesBelow) / positives) / 2;
      if (balanced > bestValue) {
        bestValue = balanced;
        bestThreshold = candidate;
      }
    }
    if (Number.isFinite(bestThreshold)) best.set(queryId, bestThreshold);
  }
  return best;
}

/** How far the best threshold of "grade ≥ minGrade" moves between splits and across queries. */
export interface ThresholdDrift {
  minGrade: Grade;
  /** Global threshold chosen on dev; null when it is ±Infinity or could not be chosen. */
  dev: number | null;
  /** Global threshold that the same criterion would choose on test. */
  test: number | null;
  /** test − dev. */
  difference: number | null;
  /** Per-query best thresholds on test: how many queries have one, and their quantiles. */
  perQuery: { queries: number; quantiles: Record<"p05" | "p25" | "p50" | "p75" | "p95", number> | null; interquartileRange: number | null };
}

/** Summarises threshold drift from the dev and test global thresholds and the per-query best thresholds on test. */
export function thresholdDrift(minGrade: Grade, dev: number | null, test: number | null, perQuery: Iterable<number>): ThresholdDrift {
  const sorted = Float64Array.from(perQuery).sort();
  const finite = (value: number | null): number | null => (value !== null && Number.isFinite(value) ? value : null);
  const devValue = finite(dev);
  const testValue = finite(test);
  let quantiles: ThresholdDrift["perQuery"]["quantiles"] = null;
  if (sorted.length > 0) {
    quantiles = {
      p05: quantileOfSorted(sorted, 0.05),
      p25: quantileOfSorted(sorted, 0.25),
      p50: quantileOfSorted(sorted, 0.5),
      p75: quantileOfSorted(sorted, 0.75),
      p95: quantileOfSorted(sorted, 0.95),
    };
  }
  return {
    minGrade,
    dev: devValue,
    test: testValue,
    difference: devValue !== null && testValue !== null ? testValue - devValue : null,
    perQuery: { queries: sorted.length, quantiles, interquartileRange: quantiles === null ? null : quantiles.p75 - quantiles.p25 },
  };
}
