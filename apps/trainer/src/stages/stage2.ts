import { type Judgment, Rng } from "@mine-refine/core";
import { createBatchSampler, createMultiClassCircleLoss, createSupConLoss } from "@mine-refine/losses";
import type { TrainConfig } from "../config/schema.js";
import { readGradedCandidates } from "./grade.js";
import { loadStage1Encoder } from "./index-stage.js";
import type { StageContext } from "./stage.js";
import { trainJudgments } from "./stage1.js";
import { trainAndSave } from "./train-stage.js";

export function stage2Loss(config: TrainConfig) {
  const loss = config.stage2.loss;
  return loss.type === "supcon"
    ? createSupConLoss({ temperature: loss.temperature, moderateAs: config.stage1.loss.moderateAs, moderateWeight: config.stage1.loss.moderateWeight })
    : createMultiClassCircleLoss({ scale: loss.scale, margin: loss.margin, adaptiveMargin: loss.adaptiveMargin, unjudgedAs: loss.unjudgedAs });
}

/**
 * Mixes graded mined pairs into the original training judgments so that mined pairs make up at
 * most `minedShare` of the result. Mined pairs beyond that share are dropped at random (seeded), and
 * a mined pair never replaces an original judgment of the same pair.
 */
export function mixTrainingPairs(original: readonly Judgment[], mined: readonly Judgment[], minedShare: number, seed: number): { judgments: Judgment[]; minedUsed: number } {
  const known = new Set(original.map((judgment) => `${judgment.queryId}\t${judgment.productId}`));
  const fresh = mined.filter((judgment) => !known.has(`${judgment.queryId}\t${judgment.productId}`));
  const limit = minedShare >= 1 ? fresh.length : Math.floor((minedShare * original.length) / (1 - minedShare));
  const chosen = fresh.length <= limit ? fresh : new Rng(seed).shuffle([...fresh]).slice(0, limit);
  return { judgments: [...original, ...chosen], minedUsed: chosen.length };
}

/**
 * Stage 2: continues from the Stage 1 checkpoint with the multi-class circle loss on batches that
 * mix the judge-graded mined pairs with the original judged pairs, and writes `checkpoint/`.
 */
export async function runStage2(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const stage = config.stage2;
  const prepared = await context.data();
  const original = trainJudgments(prepared.dataset.judgments, prepared.split.train);
  const mined = await readGradedCandidates(context.run.stageDir("grade"));
  const { judgments, minedUsed } = mixTrainingPairs(original, mined, stage.minedShare, config.seed);

  const { encoder, matmul } = await loadStage1Encoder(context);
  try {
    const sampler = createBatchSampler({
      judgments,
      queriesPerBatch: stage.queriesPerBatch,
      productsPerQuery: stage.productsPerQuery,
      seed: config.seed + 1,
      epochs: stage.epochs,
    });
    const totalSteps = sampler.batchesPerEpoch * stage.epochs;
    logger.log("info", "stage2: training", { original: original.length, mined: minedUsed, queries: sampler.queryCount, steps: totalSteps });
    const summary = await trainAndSave(context, dir, {
      stage: "stage2",
      encoder,
      prepared,
      batches: sampler,
      totalSteps,
      loss: stage2Loss(config),
      settings: stage,
      extra: { original: original.length, mined: minedUsed },
    });
    logger.log("info", "stage2: trained", { steps: summary.steps, seconds: summary.elapsedSeconds, pairsPerSecond: Math.round(summary.pairsPerSecond) });
  } finally {
    await matmul.dispose();
  }
}
