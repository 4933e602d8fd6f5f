import { GRADES, type Grade, type Judgment, type Logger, noProgress, type Product, type ProgressCallback, Rng, silentLogger } from "@mine-refine/core";
import { type AuditReport, auditReport } from "./audit-report.js";
import { type CorrectedEngagement, correctByInversePropensity } from "./bias-correction.js";
import { pairKey } from "./engagement.js";
import { powerLawExamination } from "./examination.js";
import { correctByPositionBasedModel, fitPositionBasedModel } from "./position-based-model.js";
import { type AuditJudge, type AuditJudgeResult, reGradeFindings } from "./regrade.js";
import { type AuditRuleOptions, findDisagreements } from "./rules.js";
import { type SimulationOptions, simulateEngagement } from "./simulate-engagement.js";

/**
 * Creates a judge for experiments from the true grades. It returns the true grade with probability
 * `accuracy` and otherwise one of the two other grades at random, with confidence equal to `accuracy`.
 * Deterministic for a seed and the order of calls.
 */
export function createOracleJudge(trueGrades: ReadonlyMap<string, Grade>, options: { accuracy: number; seed: number; id?: string }): AuditJudge {
  if (!(options.accuracy >= 0 && options.accuracy <= 1)) throw new RangeError(`accuracy must be in [0, 1], received ${options.accuracy}`);
  const rng = new Rng(options.seed);
  const id = options.id ?? `oracle-${options.accuracy}`;
  return {
    id,
    guidelineVersion: "oracle",
    async grade(pairs) {
      return pairs.map((pair): AuditJudgeResult => {
        const truth = trueGrades.get(pairKey(pair.queryId, pair.productId));
        if (truth === undefined) {
          return { queryId: pair.queryId, productId: pair.productId, judgeId: id, error: { code: "no_true_grade", message: "the oracle has no true grade for this pair" } };
        }
        const grade = rng.next() < options.accuracy ? truth : rng.pick(GRADES.filter((other) => other !== truth));
        return { queryId: pair.queryId, productId: pair.productId, grade, confidence: options.accuracy, judgeId: id, guidelineVersion: "oracle" };
      });
    },
  };
}

/**
 * Replaces the grade of exactly round(fraction × n) judgments, chosen at random, with one of the two
 * other grades at random. Returns new judgments; the inputs are not modified.
 */
export function flipGrades(judgments: readonly Judgment[], fraction: number, rng: Rng): { judgments: Judgment[]; flipped: Set<string> } {
  const order = rng.shuffle(judgments.map((_, i) => i));
  const flipCount = Math.round(fraction * judgments.length);
  const flippedIndices = new Set(order.slice(0, flipCount));
  const flipped = new Set<string>();
  const result = judgments.map((judgment, i) => {
    if (!flippedIndices.has(i)) return { ...judgment };
    flipped.add(pairKey(judgment.queryId, judgment.productId));
    const grade = rng.pick(GRADES.filter((other) => other !== judgment.grade));
    return { ...judgment, grade, rawLabel: `flipped from ${judgment.rawLabel}` };
  });
  return { judgments: result, flipped };
}

export interface NoiseExperimentOptions {
  /** Judgments taken as the truth. Pairs must be unique. */
  judgments: readonly Judgment[];
  /** Share of judgments whose grade is flipped. Default 0.1. */
  flipFraction?: number;
  seed: number;
  /** Probability that the re-grading oracle returns the true grade. Default 0.9. */
  judgeAccuracy?: number;
  /** Simulator settings; the seed and true grades are set by the experiment. */
  simulation?: Omit<SimulationOptions, "seed" | "trueGrades" | "output">;
  /** "pbm" fits the position-based model by EM; "ipw" uses the simulator's true examination curve. Default "pbm". */
  correction?: "pbm" | "ipw";
  rules?: AuditRuleOptions;
  logger?: Logger;
  progress?: ProgressCallback;
}

export interface NoiseExperimentResult {
  report: AuditReport;
  flippedCount: number;
  searchCount: number;
  /** Judged pairs that got at least one impression. */
  pairsWithImpressions: number;
  /** Examination probabilities the correction used, position 1 first. */
  examination: number[];
}

/**
 * Plants label errors and measures how many the audit finds and fixes. It flips a share of grades and
 * simulates engagement from the true grades. It then corrects position bias, flags disagreements on
 * the flipped labels, re-grades the findings with an oracle judge and scores the result against the truth.
 */
export async function runNoiseExperiment(options: NoiseExperimentOptions): Promise<NoiseExperimentResult> {
  const rng = new Rng(options.seed);
  const logger = options.logger ?? silentLogger;
  const progress = options.progress ?? noProgress;
  const trueGrades = new Map<string, Grade>();
  for (const judgment of options.judgments) trueGrades.set(pairKey(judgment.queryId, judgment.productId), judgment.grade);
  const { judgments: noisy, flipped } = flipGrades(options.judgments, options.flipFraction ?? 0.1, rng.fork("flip"));

  const simulation = simulateEngagement(noisy, {
    ...options.simulation,
    seed: rng.fork("simulate").nextUint32(),
    trueGrades,
    output: "aggregates",
    progress,
  });
  const aggregates = simulation.aggregates ?? [];
  logger.log("info", "simulated engagement", { searches: simulation.searchCount, pairsWithImpressions: aggregates.length });

  let engagement: CorrectedEngagement[];
  let examination: number[];
  if ((options.correction ?? "pbm") === "pbm") {
    const fit = fitPositionBasedModel(aggregates, { progress });
    logger.log("info", "fitted position-based model", { iterations: fit.iterations, converged: fit.converged });
    engagement = correctByPositionBasedModel(aggregates, fit);
    examination = [...fit.examination];
  } else {
    const model = powerLawExamination(options.simulation?.examinationExponent ?? 1);
    engagement = correctByInversePropensity(aggregates, model);
    examination = [...simulation.examination];
  }

  const { findings } = findDisagreements(noisy, engagement, { logger, ...options.rules });
  const judge = createOracleJudge(trueGrades, { accuracy: options.judgeAccuracy ?? 0.9, seed: rng.fork("judge").nextUint32() });
  const { judgments: audited } = await reGradeFindings(findings, judge, { catalog: placeholderCatalog(noisy), progress });
  return {
    report: auditReport({ judgments: noisy, findings, audited, trueGrades }),
    flippedCount: flipped.size,
    searchCount: simulation.searchCount,
    pairsWithImpressions: aggregates.length,
    examination,
  };
}

/** Ids stand in for query text and titles, because the oracle judge reads only the ids. */
function placeholderCatalog(judgments: readonly Judgment[]): { queries: Map<string, string>; products: Map<string, Product> } {
  const queries = new Map<string, string>();
  const products = new Map<string, Product>();
  for (const judgment of judgments) {
    queries.set(judgment.queryId, judgment.queryId);
    products.set(judgment.productId, { id: judgment.productId, title: judgment.productId, fields: {} });
  }
  return { queries, products };
}
