import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Grade, MineRefineError, type Product } from "@mine-refine/core";
import {
  type AuditedJudgment,
  type AuditJudge,
  auditReport,
  applyAuditedJudgments,
  type CorrectedEngagement,
  correctByInversePropensity,
  correctByPositionBasedModel,
  createOracleJudge,
  exportFindingsCsv,
  findDisagreements,
  fitPositionBasedModel,
  importExpertCsv,
  pairKey,
  powerLawExamination,
  reGradeFindings,
} from "@mine-refine/audit";
import type { NewJudgment } from "@mine-refine/store";
import type { TrainConfig } from "../config/schema.js";
import { createJudge } from "../judge/create-judge.js";
import { cosineScorerFromCheckpoint, gradedPairsOf } from "../judge/judge-pairs.js";
import { writeAtomic } from "../run/run-directory.js";
import { auditEngagement, engagementRows } from "./audit-engagement.js";
import { type PreparedData, prepareData } from "./data.js";
import type { StageContext } from "./stage.js";

export function auditStageEnabled(config: TrainConfig): boolean {
  return config.audit.enabled;
}

/**
 * Audits the train split's labels against engagement. The stage stores the engagement aggregates,
 * corrects position bias and flags pairs whose engagement contradicts their grade. The configured
 * judge re-grades them, and expert grades from `importCsv` take precedence over the judge's. The
 * audited grades go to the store next to the originals, and later stages train on them. Writes
 * `audited.jsonl`, `audit.json` and `audit.md`.
 */
export async function runAuditStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const settings = config.audit;
  const prepared = await context.data();
  const store = await context.store();
  const dataset = prepared.dataset.name;
  const trainIds = new Set(prepared.split.train);
  const judgments = prepared.dataset.judgments.filter((judgment) => trainIds.has(judgment.queryId));

  const engagement = await auditEngagement(context, prepared, judgments);
  logger.log("info", "audit: engagement", { kind: settings.engagement.kind, pairsWithImpressions: engagement.aggregates.length, searches: engagement.searchCount });
  if (store !== undefined) await store.upsertEngagement(engagementRows(dataset, engagement.aggregates));

  let corrected: CorrectedEngagement[];
  let examination: number[];
  if (settings.correction === "pbm") {
    const fit = fitPositionBasedModel(engagement.aggregates, { progress: context.progress });
    corrected = correctByPositionBasedModel(engagement.aggregates, fit);
    examination = [...fit.examination];
    logger.log("info", "audit: fitted the position-based model", { iterations: fit.iterations, converged: fit.converged });
  } else {
    const model = powerLawExamination(1);
    corrected = correctByInversePropensity(engagement.aggregates, model);
    examination = Array.from({ length: 10 }, (_, k) => model(k + 1));
  }

  const rules = settings.rules;
  const { findings, skipped, priors } = findDisagreements(judgments, corrected, {
    minExpectedExaminations: rules.minExpectedExaminations,
    minConfidence: rules.minConfidence,
    priorStrength: rules.priorStrength,
    minConversions: rules.minConversions,
    underGradedGrades: rules.underGradedGrades as Grade[],
    overGradedGrades: rules.overGradedGrades as Grade[],
    logger,
  });
  logger.log("info", "audit: flagged pairs", { findings: findings.length, noEngagement: skipped.noEngagement, insufficientEvidence: skipped.insufficientEvidence });
  if (store !== undefined) {
    // NOTE: findings stay "open" in the store. Resolving them needs the ids of the audited judgments,
    // which addJudgments does not return.
    await store.addAuditFindings(
      findings.map((finding) => ({ dataset, queryId: finding.queryId, productId: finding.productId, rule: finding.rule, confidence: finding.confidence, evidence: { ...finding.evidence, currentGrade: finding.currentGrade, suggestedGrade: finding.suggestedGrade } })),
    );
  }
  if (settings.exportCsv !== undefined) await exportFindingsCsv(settings.exportCsv, findings);

  const judge = await auditJudge(context, prepared, engagement.trueGrades);
  const catalog = { queries: new Map<string, string>(), products: new Map<string, Product>() };
  for (const finding of findings) {
    catalog.queries.set(finding.queryId, prepared.query(finding.queryId).text);
    catalog.products.set(finding.productId, prepared.product(finding.productId));
  }
  const regraded = await reGradeFindings(findings, judge, { catalog, progress: context.progress });
  const audited = new Map<string, AuditedJudgment>(regraded.judgments.map((judgment) => [pairKey(judgment.queryId, judgment.productId), judgment]));
  let unreviewedRows: number | undefined;
  if (settings.importCsv !== undefined) {
    const expert = await importExpertCsv(settings.importCsv);
    unreviewedRows = expert.unreviewedRows;
    for (const judgment of expert.judgments) audited.set(pairKey(judgment.queryId, judgment.productId), judgment);
  }
  const auditedList = [...audited.values()];

  if (store !== undefined) {
    const rows: NewJudgment[] = auditedList.map((judgment) => ({
      dataset,
      queryId: judgment.queryId,
      productId: judgment.productId,
      grade: judgment.grade,
      rawLabel: `${judgment.provenance.judgeId}:${judgment.grade}`,
      source: judgment.provenance.judgeId === "expert" || judgment.provenance.guidelineVersion === "expert-review" ? "expert" : "audit",
      judge: judgment.provenance.judgeId,
      guidelineVersion: judgment.provenance.guidelineVersion,
      confidence: judgment.provenance.confidence,
    }));
    const counts = await store.addJudgments(rows);
    logger.log("info", "audit: audited grades stored", { added: counts.inserted, alreadyStored: counts.skipped });
  }

  const report = auditReport({ judgments, findings, audited: auditedList, trueGrades: engagement.trueGrades });
  const summary = {
    ...report,
    judge: judge.id,
    failures: regraded.failures.length,
    skipped,
    priors,
    examination,
    searchCount: engagement.searchCount,
    pairsWithImpressions: engagement.aggregates.length,
    inconsistencies: engagement.inconsistencies,
    unreviewedExpertRows: unreviewedRows,
  };
  await writeAtomic(path.join(dir, "audited.jsonl"), auditedList.map((judgment) => `${JSON.stringify(judgment)}\n`).join(""));
  await writeAtomic(path.join(dir, "audit.json"), `${JSON.stringify(summary, null, 2)}\n`);
  await writeAtomic(path.join(dir, "audit.md"), formatAuditMarkdown(summary));
  logger.log("info", "audit: done", { flagged: findings.length, reGraded: report.reGradedCount, gradesChanged: report.gradesChanged, ...experimentFields(report.experiment) });
  context.setData(applyAudited(prepared, auditedList));
}

/** Creates the judge that re-grades flagged pairs: an oracle over the simulation's true grades, or a judge from `labels`. */
async function auditJudge(context: StageContext, prepared: PreparedData, trueGrades: Map<string, Grade> | undefined): Promise<AuditJudge> {
  const { config, logger } = context;
  if (config.audit.judge === "oracle") {
    if (trueGrades === undefined) {
      throw new MineRefineError(
        "oracle_without_truth",
        'audit.judge "oracle" needs known true grades: set audit.engagement to kind "simulate" with trueGrades "data" (after labels.flip) or a file.',
      );
    }
    return createOracleJudge(trueGrades, { accuracy: config.audit.oracleAccuracy, seed: config.seed });
  }
  const trainPairs = gradedPairsOf(prepared, prepared.split.train);
  const checkpoint = config.labels.local.checkpoint;
  const cosine = checkpoint === undefined ? undefined : await cosineScorerFromCheckpoint(checkpoint, trainPairs, config.threads);
  return createJudge(config.audit.judge, config, { trainPairs, judgments: prepared.dataset.judgments, cosine, store: await context.store(), logger }).judge;
}

function applyAudited(prepared: PreparedData, audited: readonly AuditedJudgment[]): PreparedData {
  if (audited.length === 0) return prepared;
  const judgments = applyAuditedJudgments(prepared.dataset.judgments, audited).map(({ queryId, productId, grade, rawLabel }) => ({ queryId, productId, grade, rawLabel }));
  return prepareData({ ...prepared.dataset, judgments }, prepared.split);
}

/** Applies the audited grades of a finished audit stage again on a resumed run. */
export async function restoreAudit(prepared: PreparedData, dir: string): Promise<PreparedData> {
  const text = await readFile(path.join(dir, "audited.jsonl"), "utf8");
  const audited = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as AuditedJudgment);
  return applyAudited(prepared, audited);
}

function experimentFields(experiment: ReturnType<typeof auditReport>["experiment"]): Record<string, number> {
  if (experiment === undefined) return {};
  return { precision: experiment.precision, recall: experiment.recall, errorsRemovedShare: experiment.errorsRemovedShare, errorsIntroduced: experiment.errorsIntroduced };
}

function formatAuditMarkdown(summary: ReturnType<typeof auditReport> & { judge: string; failures: number; searchCount?: number; pairsWithImpressions: number; inconsistencies?: { rowsRead: number; rowsUsed: number; rejected: Record<string, { count: number } | undefined> } }): string {
  const lines = ["# Audit of the train split's labels", "", "| quantity | value |", "|---|---|"];
  lines.push(`| audited pairs | ${summary.pairCount} |`);
  lines.push(`| pairs with impressions | ${summary.pairsWithImpressions} |`);
  if (summary.searchCount !== undefined) lines.push(`| simulated searches | ${summary.searchCount} |`);
  lines.push(`| flagged: under_graded | ${summary.findingsByRule.under_graded} |`);
  lines.push(`| flagged: over_graded | ${summary.findingsByRule.over_graded} |`);
  lines.push(`| flagged share | ${(100 * summary.flaggedShare).toFixed(2)}% |`);
  lines.push(`| re-graded by ${summary.judge} | ${summary.reGradedCount} (failed: ${summary.failures}) |`);
  lines.push(`| grades changed | ${summary.gradesChanged} |`);
  if (summary.inconsistencies !== undefined) {
    const rejected = Object.entries(summary.inconsistencies.rejected).map(([reason, entry]) => `${reason} ${entry?.count ?? 0}`);
    lines.push(`| inconsistent rows | ${summary.inconsistencies.rowsRead - summary.inconsistencies.rowsUsed} of ${summary.inconsistencies.rowsRead}${rejected.length > 0 ? ` (${rejected.join(", ")})` : ""} |`);
  }
  const experiment = summary.experiment;
  if (experiment !== undefined) {
    lines.push("", "Against the known true grades:", "", "| quantity | value |", "|---|---|");
    lines.push(`| label errors before | ${experiment.labelErrorsBefore} |`, `| label errors after | ${experiment.labelErrorsAfter} |`);
    lines.push(`| flagging precision | ${experiment.precision.toFixed(3)} |`, `| flagging recall | ${experiment.recall.toFixed(3)} |`);
    lines.push(`| share of errors removed | ${(100 * experiment.errorsRemovedShare).toFixed(1)}% |`, `| errors introduced | ${experiment.errorsIntroduced} |`);
  }
  lines.push("");
  return lines.join("\n");
}
