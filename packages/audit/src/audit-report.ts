import type { Grade, Judgment } from "@mine-refine/core";
import { pairKey } from "./engagement.js";
import { type AuditedJudgment, applyAuditedJudgments } from "./regrade.js";
import type { AuditFinding, AuditRule } from "./rules.js";

export interface AuditReportInput {
  /** The judgments that were audited. */
  judgments: readonly Judgment[];
  findings: readonly AuditFinding[];
  /** Re-graded judgments, from a judge or an expert sheet. */
  audited?: readonly AuditedJudgment[];
  /** Known true grades by `pairKey`, in an experiment where the label errors were planted. */
  trueGrades?: ReadonlyMap<string, Grade>;
}

/** Scores of flagging and re-grading against known true grades. */
export interface AuditExperimentScores {
  /** Pairs whose label differs from the true grade before the audit. */
  labelErrorsBefore: number;
  /** Pairs whose grade differs from the true grade after audited grades replace the labels. */
  labelErrorsAfter: number;
  /** Share of the label errors that the audit removed: (before - after) / before, which turns negative when re-grading breaks more than it fixes. */
  errorsRemovedShare: number;
  /** Correct labels that re-grading made wrong. */
  errorsIntroduced: number;
  /** Flagged pairs whose label was wrong. */
  flaggedErrors: number;
  /** flaggedErrors / findings; NaN without findings. */
  precision: number;
  /** flaggedErrors / labelErrorsBefore; NaN without label errors. */
  recall: number;
}

export interface AuditReport {
  pairCount: number;
  findingsByRule: Record<AuditRule, number>;
  /** Share of judged pairs that were flagged. */
  flaggedShare: number;
  reGradedCount: number;
  /** Re-graded pairs whose new grade differs from the one audited. */
  gradesChanged: number;
  experiment?: AuditExperimentScores;
}

/** Summarises an audit: findings by rule, the flagged share, changed grades and, given true grades, precision and recall. */
export function auditReport(input: AuditReportInput): AuditReport {
  const findingsByRule: Record<AuditRule, number> = { under_graded: 0, over_graded: 0 };
  for (const finding of input.findings) findingsByRule[finding.rule]++;
  const audited = input.audited ?? [];
  const gradesChanged = audited.filter((judgment) => judgment.grade !== judgment.provenance.previousGrade).length;
  const report: AuditReport = {
    pairCount: input.judgments.length,
    findingsByRule,
    flaggedShare: input.judgments.length > 0 ? input.findings.length / input.judgments.length : 0,
    reGradedCount: audited.length,
    gradesChanged,
  };
  if (input.trueGrades !== undefined) report.experiment = scoreAgainstTruth(input.judgments, input.findings, audited, input.trueGrades);
  return report;
}

function scoreAgainstTruth(
  judgments: readonly Judgment[],
  findings: readonly AuditFinding[],
  audited: readonly AuditedJudgment[],
  trueGrades: ReadonlyMap<string, Grade>,
): AuditExperimentScores {
  const isWrong = (judgment: Judgment): boolean => {
    const truth = trueGrades.get(pairKey(judgment.queryId, judgment.productId));
    return truth !== undefined && truth !== judgment.grade;
  };
  const wrongBefore = new Set(judgments.filter(isWrong).map((judgment) => pairKey(judgment.queryId, judgment.productId)));
  const after = applyAuditedJudgments(judgments, audited);
  let labelErrorsAfter = 0;
  let errorsIntroduced = 0;
  for (const judgment of after) {
    if (!isWrong(judgment)) continue;
    labelErrorsAfter++;
    if (!wrongBefore.has(pairKey(judgment.queryId, judgment.productId))) errorsIntroduced++;
  }
  const flaggedErrors = findings.filter((finding) => wrongBefore.has(pairKey(finding.queryId, finding.productId))).length;
  const labelErrorsBefore = wrongBefore.size;
  return {
    labelErrorsBefore,
    labelErrorsAfter,
    errorsRemovedShare: labelErrorsBefore > 0 ? (labelErrorsBefore - labelErrorsAfter) / labelErrorsBefore : Number.NaN,
    errorsIntroduced,
    flaggedErrors,
    precision: findings.length > 0 ? flaggedErrors / findings.length : Number.NaN,
    recall: labelErrorsBefore > 0 ? flaggedErrors / labelErrorsBefore : Number.NaN,
  };
}
