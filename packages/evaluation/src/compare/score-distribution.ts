import { type Grade, GRADES } from "@mine-refine/core";

/** Precision and recall of "score ≥ threshold predicts grade ≥ minGrade" over judged pairs. */
export interface ThresholdPoint {
  threshold: number;
  /** NaN when no pair scores at or above the threshold. */
  precision: number;
  /** NaN when no pair has grade ≥ minGrade. */
  recall: number;
}

/** Returns precision and recall of "score ≥ threshold predicts grade ≥ minGrade". */
export function precisionRecallAt(scores: ArrayLike<number>, grades: readonly Grade[], minGrade: Grade, threshold: number): ThresholdPoint {
  let predicted = 0;
  let hits = 0;
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const positive = grades[i]! >= minGrade;
    if (positive) positives += 1;
    if (scores[i]! >= threshold) {
      predicted += 1;
      if (positive) hits += 1;
    }
  }
  return {
    threshold,
    precision: predicted > 0 ? hits / predicted : Number.NaN,
    recall: positives > 0 ? hits / positives : Number.NaN,
  };
}

/**
 * Sweeps `points` thresholds evenly from the lowest to the highest score and returns precision and
 * recall at each. Returns an empty list when there are no scores.
 */
export function thresholdSweep(scores: ArrayLike<number>, grades: readonly Grade[], minGrade: Grade, points = 41): ThresholdPoint[] {
  const { min, max } = scoreRange(scores);
  if (!Number.isFinite(min)) return [];
  const sweep: ThresholdPoint[] = [];
  for (let i = 0; i < points; i++) {
    const threshold = points === 1 ? min : min + ((max - min) * i) / (points - 1);
    sweep.push(precisionRecallAt(scores, grades, minGrade, threshold));
  }
  return sweep;
}

/** Counts of judged pairs per grade in each bin; bins are shared by the grades. */
export interface ScoreHistogram {
  /** `bins + 1` strictly increasing edges; a bin includes its lower edge, the last bin both edges. */
  edges: number[];
  counts: Record<"0" | "1" | "2", number[]>;
}

/**
 * Bins judged-pair scores per grade on one set of `bins` equal-width bins spanning all the scores,
 * so the grades can be overlaid. When every score is equal the bins span score ± 0.5. Returns
 * undefined when there are no scores.
 */
export function scoreHistogram(scores: ArrayLike<number>, grades: readonly Grade[], bins = 30): ScoreHistogram | undefined {
  let { min, max } = scoreRange(scores);
  if (!Number.isFinite(min)) return undefined;
  if (!(max > min)) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + width * i));
  const counts = { "0": new Array<number>(bins).fill(0), "1": new Array<number>(bins).fill(0), "2": new Array<number>(bins).fill(0) };
  for (let i = 0; i < scores.length; i++) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((scores[i]! - min) / width)));
    counts[String(grades[i]!) as "0" | "1" | "2"][bin]! += 1;
  }
  return { edges, counts };
}

/** Pools per-query scores and grades into two flat arrays. */
export function poolScores(groups: ReadonlyMap<string, { scores: number[]; grades: Grade[] }>): { scores: number[]; grades: Grade[] } {
  const scores: number[] = [];
  const grades: Grade[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.scores.length; i++) {
      scores.push(group.scores[i]!);
      grades.push(group.grades[i]!);
    }
  }
  return { scores, grades };
}

/** True when every grade occurs at least once. */
export function hasEveryGrade(grades: readonly Grade[]): boolean {
  const present = new Set(grades);
  return GRADES.every((grade) => present.has(grade));
}

function scoreRange(scores: ArrayLike<number>): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < scores.length; i++) {
    const value = scores[i]!;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}
