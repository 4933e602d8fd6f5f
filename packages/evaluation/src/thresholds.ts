import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, GRADES } from "@mine-refine/core";
import { requireSameLength } from "./separation.js";

/**
 * Global score thresholds that turn a score into a grade: score ≥ `relevant` predicts
 * GRADE_RELEVANT, else score ≥ `moderate` predicts GRADE_MODERATE, else GRADE_IRRELEVANT.
 * `moderate` ≤ `relevant`. Either may be −Infinity or +Infinity when the best choice predicts a
 * grade for every score or for none.
 */
export interface GradeThresholds {
  moderate: number;
  relevant: number;
}

export interface ChosenThresholds extends GradeThresholds {
  /** The criterion reached on the dev scores: the mean of the three per-grade recalls. */
  devBalancedAccuracy: number;
}

/**
 * Chooses the two thresholds that maximise three-class balanced accuracy on dev data, the mean over
 * the grades of the fraction of each grade's products predicted correctly. Balanced accuracy does
 * not reward a threshold that sacrifices the rarest grade, which plain accuracy would.
 *
 * The criterion splits into two terms, (1/3) · (1 + A(moderate) + B(relevant)). A(t) is the
 * fraction of irrelevant products below t minus the fraction of moderate ones. B(t) is the fraction
 * of moderate products below t minus the fraction of relevant ones. So one ascending sweep over candidate
 * thresholds finds the best pair with moderate ≤ relevant in O(n log n). Candidates are −Infinity,
 * the midpoints between consecutive distinct scores, and +Infinity. Among equally good pairs the
 * lowest thresholds win.
 *
 * Raises a RangeError unless every grade occurs in the dev data.
 */
export function chooseThresholds(devScores: ArrayLike<number>, devGrades: readonly Grade[]): ChosenThresholds {
  requireSameLength(devScores, devGrades, "chooseThresholds");
  const totals = countByGrade(devGrades);
  for (const grade of GRADES) {
    if (totals[grade] === 0) {
      throw new RangeError(`chooseThresholds needs dev products of every grade, but grade ${grade} has none`);
    }
  }

  const order = Array.from({ length: devScores.length }, (_, i) => i);
  for (const i of order) {
    if (Number.isNaN(devScores[i]!)) throw new RangeError(`chooseThresholds devScores contains NaN at position ${i}`);
  }
  order.sort((a, b) => devScores[a]! - devScores[b]!);

  // Sweep candidates in ascending order; `below` counts each grade's products under the candidate.
  const below: Record<Grade, number> = { [GRADE_IRRELEVANT]: 0, [GRADE_MODERATE]: 0, [GRADE_RELEVANT]: 0 };
  const fractionBelow = (grade: Grade): number => below[grade] / totals[grade];
  let bestA = Number.NEGATIVE_INFINITY;
  let bestAThreshold = Number.NEGATIVE_INFINITY;
  let best = { total: Number.NEGATIVE_INFINITY, moderate: 0, relevant: 0 };

  const consider = (candidate: number): void => {
    const a = fractionBelow(GRADE_IRRELEVANT) - fractionBelow(GRADE_MODERATE);
    if (a > bestA) {
      bestA = a;
      bestAThreshold = candidate;
    }
    const total = bestA + fractionBelow(GRADE_MODERATE) - fractionBelow(GRADE_RELEVANT);
    if (total > best.total) best = { total, moderate: bestAThreshold, relevant: candidate };
  };

  consider(Number.NEGATIVE_INFINITY);
  let position = 0;
  while (position < order.length) {
    const value = devScores[order[position]!]!;
    while (position < order.length && devScores[order[position]!]! === value) {
      below[devGrades[order[position]!]!] += 1;
      position += 1;
    }
    const next = position < order.length ? devScores[order[position]!]! : Number.POSITIVE_INFINITY;
    consider(next === Number.POSITIVE_INFINITY ? next : value + (next - value) / 2);
  }

  return { moderate: best.moderate, relevant: best.relevant, devBalancedAccuracy: (1 + best.total) / 3 };
}

/** Precision and recall of one predicted grade. */
export interface GradeClassReport {
  /** Products of this grade in the test data. */
  support: number;
  /** Products predicted as this grade. */
  predicted: number;
  /** Null when no product is predicted as this grade. */
  precision: number | null;
  /** Null when the grade has no test products. */
  recall: number | null;
}

export interface ThresholdReport {
  perGrade: Record<Grade, GradeClassReport>;
  /** [true grade][predicted grade] counts. */
  confusion: number[][];
  accuracy: number;
  /** Mean recall over the grades present in the test data. */
  balancedAccuracy: number;
}

/** Returns the grade that `thresholds` assign to a score. */
export function predictGrade(score: number, thresholds: GradeThresholds): Grade {
  if (score >= thresholds.relevant) return GRADE_RELEVANT;
  if (score >= thresholds.moderate) return GRADE_MODERATE;
  return GRADE_IRRELEVANT;
}

/** Applies thresholds to test scores and reports precision and recall of each predicted grade. */
export function thresholdReport(
  thresholds: GradeThresholds,
  testScores: ArrayLike<number>,
  testGrades: readonly Grade[],
): ThresholdReport {
  requireSameLength(testScores, testGrades, "thresholdReport");
  if (!(thresholds.moderate <= thresholds.relevant)) {
    throw new RangeError(
      `thresholdReport needs moderate <= relevant, received moderate ${thresholds.moderate} and relevant ${thresholds.relevant}`,
    );
  }
  if (testScores.length === 0) throw new RangeError("thresholdReport needs at least one test score");

  const confusion = GRADES.map(() => GRADES.map(() => 0));
  for (let i = 0; i < testScores.length; i++) {
    const predicted = predictGrade(testScores[i]!, thresholds);
    confusion[testGrades[i]!]![predicted]! += 1;
  }

  const perGrade = {} as Record<Grade, GradeClassReport>;
  let correct = 0;
  let recallSum = 0;
  let gradesPresent = 0;
  for (const grade of GRADES) {
    const hits = confusion[grade]![grade]!;
    let support = 0;
    let predicted = 0;
    for (const other of GRADES) {
      support += confusion[grade]![other]!;
      predicted += confusion[other]![grade]!;
    }
    const recall = support > 0 ? hits / support : null;
    perGrade[grade] = { support, predicted, precision: predicted > 0 ? hits / predicted : null, recall };
    correct += hits;
    if (recall !== null) {
      recallSum += recall;
      gradesPresent += 1;
    }
  }

  return {
    perGrade,
    confusion,
    accuracy: correct / testScores.length,
    balancedAccuracy: recallSum / gradesPresent,
  };
}

function countByGrade(grades: readonly Grade[]): Record<Grade, number> {
  const counts: Record<Grade, number> = { [GRADE_IRRELEVANT]: 0, [GRADE_MODERATE]: 0, [GRADE_RELEVANT]: 0 };
  for (const grade of grades) counts[grade] += 1;
  return counts;
}
