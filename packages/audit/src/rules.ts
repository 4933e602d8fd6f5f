import { GRADE_IRRELEVANT, GRADE_RELEVANT, GRADES, type Grade, type Judgment, type Logger, silentLogger } from "@mine-refine/core";
import { betaCdf } from "./beta.js";
import type { CorrectedEngagement } from "./bias-correction.js";
import { pairKey } from "./engagement.js";

export type AuditRule = "under_graded" | "over_graded";

/** Engagement signal a rule reads: corrected clicks, or add-to-carts or purchases per expected examination. */
export type EngagementSignal = "click" | "add_to_cart" | "purchase";

/** Per-grade mean rate of each signal, pooled over the pairs that carry that grade. */
export type GradePriors = Record<EngagementSignal, Record<Grade, number>>;

export interface FindingEvidence {
  impressions: number;
  clicks: number;
  addToCarts: number;
  purchases: number;
  expectedExaminations: number;
  /** The signal that fired the rule. */
  signal: EngagementSignal;
  /** Rate of that signal before smoothing. */
  observedRate: number;
  /** Mean of the Beta posterior of that rate. */
  posteriorMean: number;
  /** Midpoint between the current grade's prior mean and the neighbouring grade's, which the posterior is tested against. */
  threshold: number;
}

/** A pair whose engagement contradicts its grade. */
export interface AuditFinding {
  queryId: string;
  productId: string;
  currentGrade: Grade;
  rule: AuditRule;
  /** Posterior probability that the pair's rate lies on the other grade's side of `threshold`. */
  confidence: number;
  /** Grade whose prior mean is nearest to the posterior mean, among grades in the rule's direction. */
  suggestedGrade: Grade;
  evidence: FindingEvidence;
}

export interface AuditRuleOptions {
  /** Pairs with fewer expected examinations are never flagged. Default 20. */
  minExpectedExaminations?: number;
  /** Findings below this posterior confidence are dropped. Default 0.9. */
  minConfidence?: number;
  /**
   * Weight of the per-grade prior in pseudo-examinations: Beta(κ·m, κ·(1 - m)) for prior mean m.
   * Larger values pull sparse pairs harder toward their grade's mean. Default 20.
   */
  priorStrength?: number;
  /** Grades checked by the under-graded rule (add-to-cart or purchase evidence). Default [GRADE_IRRELEVANT]. */
  underGradedGrades?: readonly Grade[];
  /** Add-to-carts plus purchases a pair needs before it can be under-graded. Default 2. */
  minConversions?: number;
  /** Grades checked by the over-graded rule (examined but rarely clicked). Default [GRADE_RELEVANT]. */
  overGradedGrades?: readonly Grade[];
  logger?: Logger;
}

export interface AuditRuleResult {
  findings: AuditFinding[];
  priors: GradePriors;
  /** Judged pairs without engagement, and pairs below `minExpectedExaminations`. */
  skipped: { noEngagement: number; insufficientEvidence: number };
}

const SIGNALS: readonly EngagementSignal[] = ["click", "add_to_cart", "purchase"];

/**
 * Flags judged pairs whose position-corrected engagement contradicts their grade.
 * - `under_graded`: the add-to-cart or purchase rate is probably above the midpoint between the
 *   current grade's prior mean and the next higher grade's.
 * - `over_graded`: the click rate is probably below the midpoint between the current grade's prior
 *   mean and the next lower grade's.
 * Each rate has a Beta posterior whose prior is centred on the current grade's mean, so thin
 * evidence stays near the grade and cannot fire a rule. A rule is skipped, with a warning, for a
 * grade whose prior mean is not above the lower grade's, since the midpoint would then be meaningless.
 */
export function findDisagreements(
  judgments: readonly Judgment[],
  engagement: readonly CorrectedEngagement[],
  options: AuditRuleOptions = {},
): AuditRuleResult {
  const minExpectedExaminations = options.minExpectedExaminations ?? 20;
  const minConfidence = options.minConfidence ?? 0.9;
  const priorStrength = options.priorStrength ?? 20;
  const underGradedGrades = options.underGradedGrades ?? [GRADE_IRRELEVANT];
  const overGradedGrades = options.overGradedGrades ?? [GRADE_RELEVANT];
  const minConversions = options.minConversions ?? 2;
  const logger = options.logger ?? silentLogger;

  const byPair = new Map<string, CorrectedEngagement>();
  for (const entry of engagement) byPair.set(pairKey(entry.queryId, entry.productId), entry);
  const priors = estimateGradePriors(judgments, byPair);
  const orderedGrades = gradesWithOrderedPriors(priors, logger);

  const findings: AuditFinding[] = [];
  const skipped = { noEngagement: 0, insufficientEvidence: 0 };
  for (const judgment of judgments) {
    const entry = byPair.get(pairKey(judgment.queryId, judgment.productId));
    if (entry === undefined || entry.impressions === 0) {
      skipped.noEngagement++;
      continue;
    }
    if (entry.expectedExaminations < minExpectedExaminations) {
      skipped.insufficientEvidence++;
      continue;
    }
    const candidates: AuditFinding[] = [];
    if (underGradedGrades.includes(judgment.grade) && entry.addToCarts + entry.purchases >= minConversions) {
      for (const signal of ["add_to_cart", "purchase"] as const) {
        if (!orderedGrades[signal].has(judgment.grade + 1)) continue;
        candidates.push(testPair(judgment, entry, signal, "under_graded", priors, priorStrength));
      }
    }
    if (overGradedGrades.includes(judgment.grade) && orderedGrades.click.has(judgment.grade)) {
      candidates.push(testPair(judgment, entry, "click", "over_graded", priors, priorStrength));
    }
    const strongest = candidates.sort((a, b) => b.confidence - a.confidence)[0];
    if (strongest !== undefined && strongest.confidence >= minConfidence) findings.push(strongest);
  }
  return { findings, priors, skipped };
}

/** Pooled rate of each signal per grade: successes summed over pairs of that grade, divided by their summed expected examinations. */
export function estimateGradePriors(judgments: readonly Judgment[], byPair: ReadonlyMap<string, CorrectedEngagement>): GradePriors {
  const successes = { click: [0, 0, 0], add_to_cart: [0, 0, 0], purchase: [0, 0, 0] };
  const examinations = [0, 0, 0];
  for (const judgment of judgments) {
    const entry = byPair.get(pairKey(judgment.queryId, judgment.productId));
    if (entry === undefined || entry.expectedExaminations === 0) continue;
    examinations[judgment.grade]! += entry.expectedExaminations;
    for (const signal of SIGNALS) successes[signal][judgment.grade]! += signalRate(entry, signal) * entry.expectedExaminations;
  }
  const priors = {} as GradePriors;
  for (const signal of SIGNALS) {
    const means = {} as Record<Grade, number>;
    for (const grade of GRADES) {
      const total = examinations[grade]!;
      means[grade] = total > 0 ? successes[signal][grade]! / total : Number.NaN;
    }
    priors[signal] = means;
  }
  return priors;
}

/** For each signal, the grades g > 0 whose prior mean is above grade g - 1's. */
function gradesWithOrderedPriors(priors: GradePriors, logger: Logger): Record<EngagementSignal, Set<number>> {
  const ordered = {} as Record<EngagementSignal, Set<number>>;
  for (const signal of SIGNALS) {
    ordered[signal] = new Set();
    for (const grade of GRADES) {
      if (grade === GRADE_IRRELEVANT) continue;
      const lower = priors[signal][(grade - 1) as Grade];
      const upper = priors[signal][grade];
      if (upper > lower) ordered[signal].add(grade);
      else logger.log("warn", "audit rule skipped: grade prior means are not increasing", { signal, grade, lowerMean: lower, mean: upper });
    }
  }
  return ordered;
}

function testPair(
  judgment: Judgment,
  entry: CorrectedEngagement,
  signal: EngagementSignal,
  rule: AuditRule,
  priors: GradePriors,
  priorStrength: number,
): AuditFinding {
  const means = priors[signal];
  const neighbour = (rule === "under_graded" ? judgment.grade + 1 : judgment.grade - 1) as Grade;
  const threshold = (means[judgment.grade] + means[neighbour]) / 2;
  const priorMean = clampOpen(means[judgment.grade]);

  const examinations = entry.expectedExaminations;
  const observedRate = signalRate(entry, signal);
  const successes = Math.min(observedRate * examinations, examinations);
  const alpha = priorStrength * priorMean + successes;
  const beta = priorStrength * (1 - priorMean) + (examinations - successes);
  const belowThreshold = betaCdf(threshold, alpha, beta);
  const confidence = rule === "under_graded" ? 1 - belowThreshold : belowThreshold;
  const posteriorMean = alpha / (alpha + beta);

  return {
    queryId: judgment.queryId,
    productId: judgment.productId,
    currentGrade: judgment.grade,
    rule,
    confidence,
    suggestedGrade: nearestGrade(posteriorMean, means, rule === "under_graded" ? (g) => g > judgment.grade : (g) => g < judgment.grade),
    evidence: {
      impressions: entry.impressions,
      clicks: entry.clicks,
      addToCarts: entry.addToCarts,
      purchases: entry.purchases,
      expectedExaminations: examinations,
      signal,
      observedRate,
      posteriorMean,
      threshold,
    },
  };
}

function signalRate(entry: CorrectedEngagement, signal: EngagementSignal): number {
  if (signal === "click") return entry.clickRate;
  return signal === "add_to_cart" ? entry.addToCartRate : entry.purchaseRate;
}

function nearestGrade(rate: number, means: Record<Grade, number>, allowed: (grade: Grade) => boolean): Grade {
  let best: Grade | undefined;
  for (const grade of GRADES) {
    if (!allowed(grade) || Number.isNaN(means[grade])) continue;
    if (best === undefined || Math.abs(means[grade] - rate) < Math.abs(means[best] - rate)) best = grade;
  }
  return best ?? GRADES.find(allowed)!;
}

/** Keeps a prior mean inside (0, 1) so the Beta shape parameters stay positive. */
function clampOpen(mean: number): number {
  return Math.min(Math.max(mean, 1e-6), 1 - 1e-6);
}
