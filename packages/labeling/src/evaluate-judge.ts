import { GRADE_NAMES, GRADES, type Grade } from "@mine-refine/core";
import { isJudgeGrade, type JudgeResult, pairKey } from "./judge.js";

/** Precision and recall of one grade; undefined where the denominator is 0. */
export interface GradeScores {
  grade: Grade;
  precision: number | undefined;
  recall: number | undefined;
  /** Pairs whose true grade is this grade, among the graded pairs. */
  support: number;
}

export interface AgreementScores {
  /** Share of graded pairs where the grade equals the true grade. */
  accuracy: number;
  /** Share of graded pairs where the grade is at most one step from the true grade. */
  withinOneAccuracy: number;
  /** Cohen's kappa with quadratic weights; NaN when the true and predicted grades are all one single grade. */
  quadraticKappa: number;
}

export interface JudgeEvaluation extends AgreementScores {
  /** Results whose pair has a true grade; the other results are ignored and counted in `withoutTruth`. */
  pairs: number;
  /** Pairs with a grade; every metric above is computed over these. */
  graded: number;
  /** graded / pairs: the share of pairs that did not end in an error. */
  coverage: number;
  /** Number of failed pairs by error code. */
  errorCodes: Record<string, number>;
  withoutTruth: number;
  /** Counts indexed [true grade][judged grade]. */
  confusion: number[][];
  perGrade: GradeScores[];
  /** Always predicting the most frequent true grade of the graded pairs (lowest grade on ties). */
  majorityBaseline: AgreementScores & { grade: Grade };
}

/**
 * Compares judge results with true grades keyed by `pairKey(queryId, productId)`. Agreement metrics
 * are computed over the graded pairs, and `coverage` reports how many pairs failed. A result whose
 * pair has no true grade is counted in `withoutTruth` and left out.
 */
export function evaluateJudge(results: readonly JudgeResult[], truth: ReadonlyMap<string, Grade>): JudgeEvaluation {
  const trueGrades: Grade[] = [];
  const judgedGrades: Grade[] = [];
  const errorCodes: Record<string, number> = {};
  let pairs = 0;
  let withoutTruth = 0;
  for (const result of results) {
    const expected = truth.get(pairKey(result.queryId, result.productId));
    if (expected === undefined) {
      withoutTruth++;
      continue;
    }
    pairs++;
    if (isJudgeGrade(result)) {
      trueGrades.push(expected);
      judgedGrades.push(result.grade);
    } else {
      errorCodes[result.error.code] = (errorCodes[result.error.code] ?? 0) + 1;
    }
  }

  const confusion = confusionMatrix(trueGrades, judgedGrades);
  const majorityGrade = mostFrequentGrade(trueGrades);
  const baselineGrades = trueGrades.map(() => majorityGrade);
  return {
    ...agreement(confusion),
    pairs,
    graded: trueGrades.length,
    coverage: pairs === 0 ? 0 : trueGrades.length / pairs,
    errorCodes,
    withoutTruth,
    confusion,
    perGrade: gradeScores(confusion),
    majorityBaseline: { grade: majorityGrade, ...agreement(confusionMatrix(trueGrades, baselineGrades)) },
  };
}

/** Returns counts indexed [true grade][judged grade]. */
export function confusionMatrix(trueGrades: readonly Grade[], judgedGrades: readonly Grade[]): number[][] {
  const matrix = GRADES.map(() => GRADES.map(() => 0));
  trueGrades.forEach((trueGrade, index) => {
    const row = matrix[trueGrade] as number[];
    const judged = judgedGrades[index] as Grade;
    row[judged] = (row[judged] ?? 0) + 1;
  });
  return matrix;
}

/**
 * Computes accuracy, within-one accuracy and quadratic-weighted kappa from a confusion matrix.
 * Kappa = 1 − Σ w·O / Σ w·E with weights w[i][j] = (i − j)² / (K − 1)², observed counts O and
 * expected counts E[i][j] = row_i · column_j / n (the counts if grades were independent).
 */
export function agreement(confusion: readonly (readonly number[])[]): AgreementScores {
  const size = confusion.length;
  const rowSums = confusion.map((row) => sum(row));
  const columnSums = confusion.map((_, j) => sum(confusion.map((row) => row[j] ?? 0)));
  const n = sum(rowSums);
  let exact = 0;
  let withinOne = 0;
  let weightedObserved = 0;
  let weightedExpected = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const observed = confusion[i]?.[j] ?? 0;
      const weight = (i - j) ** 2 / (size - 1) ** 2;
      if (i === j) exact += observed;
      if (Math.abs(i - j) <= 1) withinOne += observed;
      weightedObserved += weight * observed;
      weightedExpected += n === 0 ? 0 : (weight * (rowSums[i] ?? 0) * (columnSums[j] ?? 0)) / n;
    }
  }
  return {
    accuracy: n === 0 ? 0 : exact / n,
    withinOneAccuracy: n === 0 ? 0 : withinOne / n,
    quadraticKappa: weightedExpected === 0 ? Number.NaN : 1 - weightedObserved / weightedExpected,
  };
}

function gradeScores(confusion: readonly (readonly number[])[]): GradeScores[] {
  return GRADES.map((grade) => {
    const truePositives = confusion[grade]?.[grade] ?? 0;
    const support = sum(confusion[grade] ?? []);
    const predicted = sum(confusion.map((row) => row[grade] ?? 0));
    return {
      grade,
      precision: predicted === 0 ? undefined : truePositives / predicted,
      recall: support === 0 ? undefined : truePositives / support,
      support,
    };
  });
}

function mostFrequentGrade(grades: readonly Grade[]): Grade {
  const counts = GRADES.map((grade) => grades.filter((g) => g === grade).length);
  let best: Grade = GRADES[0] as Grade;
  for (const grade of GRADES) {
    if ((counts[grade] ?? 0) > (counts[best] ?? 0)) best = grade;
  }
  return best;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Renders an evaluation as Markdown: a summary table (judge against the majority baseline), the confusion matrix and per-grade scores. */
export function formatJudgeEvaluation(report: JudgeEvaluation): string {
  const lines: string[] = [];
  lines.push("| metric | judge | majority baseline |", "|---|---|---|");
  lines.push(`| accuracy | ${fixed(report.accuracy)} | ${fixed(report.majorityBaseline.accuracy)} |`);
  lines.push(`| within-1 accuracy | ${fixed(report.withinOneAccuracy)} | ${fixed(report.majorityBaseline.withinOneAccuracy)} |`);
  lines.push(`| quadratic-weighted kappa | ${fixed(report.quadraticKappa)} | ${fixed(report.majorityBaseline.quadraticKappa)} |`);
  lines.push(`| coverage | ${fixed(report.coverage)} (${report.graded} of ${report.pairs}) | 1.000 |`);
  const codes = Object.entries(report.errorCodes).sort(([a], [b]) => a.localeCompare(b));
  if (codes.length > 0) lines.push(`| errors | ${codes.map(([code, count]) => `${code}: ${count}`).join(", ")} | – |`);

  lines.push("", `| true \\ judged | ${GRADES.map((grade) => `${grade}`).join(" | ")} |`, `|---|${GRADES.map(() => "---").join("|")}|`);
  for (const grade of GRADES) {
    lines.push(`| ${grade} ${GRADE_NAMES[grade]} | ${(report.confusion[grade] ?? []).join(" | ")} |`);
  }

  lines.push("", "| grade | precision | recall | support |", "|---|---|---|---|");
  for (const scores of report.perGrade) {
    lines.push(`| ${scores.grade} ${GRADE_NAMES[scores.grade]} | ${fixed(scores.precision)} | ${fixed(scores.recall)} | ${scores.support} |`);
  }
  return `${lines.join("\n")}\n`;
}

function fixed(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? "–" : value.toFixed(3);
}
