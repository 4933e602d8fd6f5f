import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Grade, type Judgment, type ProgressCallback, Rng } from "@mine-refine/core";
import { flipGrades } from "@mine-refine/audit";
import { evaluateJudge, type Judge, type JudgePair, type JudgeResult, isJudgeGrade, pairKey } from "@mine-refine/labeling";
import type { NewJudgment } from "@mine-refine/store";
import type { TrainConfig } from "../config/schema.js";
import { createJudge } from "../judge/create-judge.js";
import { batchesByQuery, cosineScorerFromCheckpoint, gradedPairsOf } from "../judge/judge-pairs.js";
import { writeAtomic } from "../run/run-directory.js";
import { type PreparedData, prepareData } from "./data.js";
import type { StageContext } from "./stage.js";

/** Pairs per judge call; whole queries stay in one batch. */
const JUDGE_BATCH_PAIRS = 2048;

/** One label the labels stage changed or confirmed, as written to `labels.jsonl`. */
export interface LabelChange {
  queryId: string;
  productId: string;
  grade: Grade;
  /** The grade the data stage read. */
  previousGrade: Grade;
  /** `flip` for a planted error, otherwise the id of the judge that graded the pair. */
  origin: string;
  confidence?: number;
}

export function labelsStageEnabled(config: TrainConfig): boolean {
  return config.labels.flip !== undefined || (config.labels.judge !== "human" && config.labels.regrade === "train");
}

/**
 * Replaces the train split's labels. With `labels.flip` (experiments) it first flips a seeded share
 * of them, and with `labels.regrade` "train" the configured judge then grades every train pair.
 * Judge grades go to the store with their provenance, and pairs the judge failed on keep their
 * label. Writes `labels.jsonl` (one line per pair whose label the stage set) and `labels.json`.
 */
export async function runLabelsStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const prepared = await context.data();
  const trainIds = new Set(prepared.split.train);
  const trainJudgments = prepared.dataset.judgments.filter((judgment) => trainIds.has(judgment.queryId));
  const changes = new Map<string, LabelChange>();
  const summary: Record<string, unknown> = { trainPairs: trainJudgments.length };

  let labelled = trainJudgments;
  if (config.labels.flip !== undefined) {
    const { judgments: flipped, flipped: flippedKeys } = flipGrades(trainJudgments, config.labels.flip.fraction, new Rng(config.labels.flip.seed));
    trainJudgments.forEach((original, i) => {
      const key = pairKey(original.queryId, original.productId);
      if (!flippedKeys.has(key)) return;
      const grade = flipped[i]!.grade;
      changes.set(key, { queryId: original.queryId, productId: original.productId, grade, previousGrade: original.grade, origin: "flip" });
    });
    labelled = flipped;
    summary.flipped = flippedKeys.size;
    logger.log("info", "labels: flipped training grades", { flipped: flippedKeys.size, fraction: config.labels.flip.fraction, seed: config.labels.flip.seed });
  }

  if (config.labels.judge !== "human" && config.labels.regrade === "train") {
    summary.judge = await regradeTrainSplit(context, prepared, labelled, changes);
  }

  const lines = [...changes.values()].map((change) => JSON.stringify(change));
  await writeAtomic(path.join(dir, "labels.jsonl"), lines.length === 0 ? "" : `${lines.join("\n")}\n`);
  summary.changedLabels = [...changes.values()].filter((change) => change.grade !== change.previousGrade).length;
  await writeAtomic(path.join(dir, "labels.json"), `${JSON.stringify(summary, null, 2)}\n`);
  context.setData(applyLabelChanges(prepared, [...changes.values()]));
}

/** Grades the train pairs, stores the grades with provenance and adds them to `changes`; returns the judge summary. */
async function regradeTrainSplit(
  context: StageContext,
  prepared: PreparedData,
  currentJudgments: readonly Judgment[],
  changes: Map<string, LabelChange>,
): Promise<Record<string, unknown>> {
  const { config, logger } = context;
  const store = await context.store();
  // With labels.flip the judge learns from the flipped labels, as it would from noisy crowd labels.
  // NOTE: a checkpoint trained on these same train pairs gives them higher cosines than unseen pairs
  // get, so the judge leans on the cosine feature more than held-out data would justify.
  const trainPairs = gradedPairsOf(prepared, prepared.split.train, currentJudgments);
  const cosine =
    config.labels.local.checkpoint === undefined ? undefined : await cosineScorerFromCheckpoint(config.labels.local.checkpoint, trainPairs, config.threads);
  const configured = createJudge(config.labels.judge, config, { trainPairs, judgments: currentJudgments, cosine, store, logger });

  const results = await gradeInBatches(configured.judge, trainPairs, context.progress);
  const failures: Record<string, number> = {};
  const stored: NewJudgment[] = [];
  const previous = new Map(currentJudgments.map((judgment) => [pairKey(judgment.queryId, judgment.productId), judgment.grade]));
  for (const result of results) {
    if (!isJudgeGrade(result)) {
      failures[result.error.code] = (failures[result.error.code] ?? 0) + 1;
      continue;
    }
    const key = pairKey(result.queryId, result.productId);
    const dataGrade = changes.get(key)?.previousGrade ?? previous.get(key)!;
    changes.set(key, { queryId: result.queryId, productId: result.productId, grade: result.grade, previousGrade: dataGrade, origin: result.judgeId, confidence: result.confidence });
    stored.push({
      dataset: prepared.dataset.name,
      queryId: result.queryId,
      productId: result.productId,
      grade: result.grade,
      rawLabel: `${result.judgeId}:${result.grade}`,
      source: result.judgeId === configured.llmJudgeId ? "llm" : "judge",
      judge: result.judgeId,
      guidelineVersion: result.guidelineVersion,
      confidence: result.confidence,
    });
  }
  if (store !== undefined) {
    const counts = await store.addJudgments(stored);
    logger.log("info", "labels: judge grades stored", { added: counts.inserted, alreadyStored: counts.skipped });
  }

  // Agreement with the labels the judge learned from: a training-set figure, not a held-out one.
  const agreement = evaluateJudge(results, new Map(trainPairs.map((pair) => [pairKey(pair.queryId, pair.productId), pair.grade])));
  const summary = {
    id: configured.judge.id,
    graded: stored.length,
    failures,
    agreementWithTrainingLabels: { accuracy: agreement.accuracy, withinOneAccuracy: agreement.withinOneAccuracy, quadraticKappa: agreement.quadraticKappa },
    usage: configured.usage(),
  };
  logger.log("info", "labels: graded the train split", { judge: configured.judge.id, graded: stored.length, failed: results.length - stored.length, accuracyOnTrainingLabels: agreement.accuracy });
  return summary;
}

/** Grades pairs in batches of whole queries and reports progress over all of them. */
export async function gradeInBatches(judge: Judge, pairs: readonly JudgePair[], progress: ProgressCallback): Promise<JudgeResult[]> {
  const results: JudgeResult[] = [];
  const task = `judge ${judge.id}`;
  progress({ task, done: 0, total: pairs.length });
  for (const batch of batchesByQuery(pairs, JUDGE_BATCH_PAIRS)) {
    results.push(...(await judge.grade(batch)));
    progress({ task, done: results.length, total: pairs.length });
  }
  return results;
}

/** Returns prepared data whose judgments carry the given grades; other judgments are unchanged. */
export function applyLabelChanges(prepared: PreparedData, changes: readonly LabelChange[]): PreparedData {
  if (changes.length === 0) return prepared;
  const byPair = new Map(changes.map((change) => [pairKey(change.queryId, change.productId), change]));
  const judgments = prepared.dataset.judgments.map((judgment) => {
    const change = byPair.get(pairKey(judgment.queryId, judgment.productId));
    return change === undefined ? judgment : { ...judgment, grade: change.grade, rawLabel: `${change.origin}:${change.grade}` };
  });
  return prepareData({ ...prepared.dataset, judgments }, prepared.split);
}

/** Reads `labels.jsonl` of a finished labels stage. */
export async function readLabelChanges(dir: string): Promise<LabelChange[]> {
  const text = await readFile(path.join(dir, "labels.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LabelChange);
}

/** Applies the labels of a finished labels stage again on a resumed run. */
export async function restoreLabels(prepared: PreparedData, dir: string): Promise<PreparedData> {
  return applyLabelChanges(prepared, await readLabelChanges(dir));
}
