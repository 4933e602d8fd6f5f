import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, GRADES } from "@mine-refine/core";
import { quantileOfSorted, sortedCopy } from "./quantile.js";

/** Score distribution of the products of one grade. */
export interface GradeScoreSummary {
  count: number;
  /** Null when the grade has no products. */
  mean: number | null;
  /** Values at the requested quantiles, in the same order; null when the grade has no products. */
  quantiles: number[] | null;
}

/**
 * Summarises the scores of each grade: count, mean and quantiles (linear interpolation between
 * ranks). A model whose scores respect the grades shows three distributions stacked in grade order.
 */
export function gradeQuantiles(
  scores: ArrayLike<number>,
  grades: readonly Grade[],
  quantiles: readonly number[] = [0.05, 0.25, 0.5, 0.75, 0.95],
): Record<Grade, GradeScoreSummary> {
  requireSameLength(scores, grades, "gradeQuantiles");
  const result = {} as Record<Grade, GradeScoreSummary>;
  for (const grade of GRADES) {
    const sorted = sortedCopy(scoresOfGrade(scores, grades, grade), `gradeQuantiles scores of grade ${grade}`);
    if (sorted.length === 0) {
      result[grade] = { count: 0, mean: null, quantiles: null };
      continue;
    }
    let sum = 0;
    for (const value of sorted) sum += value;
    result[grade] = {
      count: sorted.length,
      mean: sum / sorted.length,
      quantiles: quantiles.map((p) => quantileOfSorted(sorted, p)),
    };
  }
  return result;
}

/** Scores and grades of one query's judged products, in matching order. */
export interface QueryScores {
  scores: ArrayLike<number>;
  grades: readonly Grade[];
}

/**
 * How often a product of the higher grade outscores one of the lower grade, counting ties as 1/2:
 * the probability P(score_high > score_low) + P(tie) / 2, which is the ROC AUC of telling the two
 * grades apart. 0.5 means no separation and 1 perfect separation.
 */
export interface AdjacentSeparation {
  higherGrade: Grade;
  lowerGrade: Grade;
  /** Mean of the per-query probabilities over queries with products of both grades; null when none. */
  withinQueryMean: number | null;
  queriesWithBothGrades: number;
  /** All within-query pairs pooled, so queries with more pairs weigh more; null when there are none. */
  withinQueryPooled: number | null;
  withinQueryPairs: number;
  /**
   * All scores of the two grades pooled across queries, as if one global threshold had to separate
   * them; null when a grade is absent. This is the separation that one fixed cosine threshold faces.
   */
  global: number | null;
  globalPairs: number;
}

/**
 * Measures how well scores separate adjacent grades, relevant over moderately relevant and moderately
 * relevant over irrelevant, within each query and globally. Every comparison sorts the scores, so the
 * cost is O(n log n) rather than one comparison per pair.
 */
export function adjacentSeparation(perQueryScores: ReadonlyMap<string, QueryScores>): AdjacentSeparation[] {
  const gradePairs: [Grade, Grade][] = [
    [GRADE_RELEVANT, GRADE_MODERATE],
    [GRADE_MODERATE, GRADE_IRRELEVANT],
  ];
  return gradePairs.map(([higherGrade, lowerGrade]) => {
    let meanSum = 0;
    let queriesWithBothGrades = 0;
    let pooledWins = 0;
    let withinQueryPairs = 0;
    const allHigher: number[] = [];
    const allLower: number[] = [];

    for (const [queryId, { scores, grades }] of perQueryScores) {
      requireSameLength(scores, grades, `adjacentSeparation query "${queryId}"`);
      const higher = scoresOfGrade(scores, grades, higherGrade);
      const lower = scoresOfGrade(scores, grades, lowerGrade);
      for (const value of higher) allHigher.push(value);
      for (const value of lower) allLower.push(value);
      if (higher.length === 0 || lower.length === 0) continue;

      const { wins, pairs } = countWins(higher, lower, `adjacentSeparation query "${queryId}"`);
      meanSum += wins / pairs;
      queriesWithBothGrades += 1;
      pooledWins += wins;
      withinQueryPairs += pairs;
    }

    const global = countWins(allHigher, allLower, "adjacentSeparation");
    return {
      higherGrade,
      lowerGrade,
      withinQueryMean: queriesWithBothGrades > 0 ? meanSum / queriesWithBothGrades : null,
      queriesWithBothGrades,
      withinQueryPooled: withinQueryPairs > 0 ? pooledWins / withinQueryPairs : null,
      withinQueryPairs,
      global: global.pairs > 0 ? global.wins / global.pairs : null,
      globalPairs: global.pairs,
    };
  });
}

/**
 * Counts the (higher, lower) pairs where the higher-grade score is larger, ties counting 1/2 (the
 * Mann–Whitney U statistic). Sorts both lists and walks them together.
 */
export function countWins(
  higher: ArrayLike<number>,
  lower: ArrayLike<number>,
  inputName = "countWins",
): { wins: number; pairs: number } {
  const sortedHigher = sortedCopy(higher, `${inputName} scores`);
  const sortedLower = sortedCopy(lower, `${inputName} scores`);
  let wins = 0;
  let lowerBelow = 0; // lower scores strictly below the current higher score
  let lowerAtOrBelow = 0; // lower scores at or below it
  for (const value of sortedHigher) {
    while (lowerBelow < sortedLower.length && sortedLower[lowerBelow]! < value) lowerBelow += 1;
    if (lowerAtOrBelow < lowerBelow) lowerAtOrBelow = lowerBelow;
    while (lowerAtOrBelow < sortedLower.length && sortedLower[lowerAtOrBelow]! <= value) lowerAtOrBelow += 1;
    wins += lowerBelow + (lowerAtOrBelow - lowerBelow) / 2;
  }
  return { wins, pairs: sortedHigher.length * sortedLower.length };
}

function scoresOfGrade(scores: ArrayLike<number>, grades: readonly Grade[], grade: Grade): number[] {
  const selected: number[] = [];
  for (let i = 0; i < grades.length; i++) if (grades[i] === grade) selected.push(scores[i]!);
  return selected;
}

export function requireSameLength(scores: ArrayLike<number>, grades: readonly Grade[], inputName: string): void {
  if (scores.length !== grades.length) {
    throw new RangeError(`${inputName}: ${scores.length} scores but ${grades.length} grades; pass one grade per score`);
  }
}
