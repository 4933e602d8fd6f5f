import path from "node:path";
import type { BatchLoss, TrainingBatch } from "@mine-refine/losses";
import { saveCheckpoint, type TrainSummary, type TwoTowerEncoder, trainEncoder } from "@mine-refine/model";
import { writeAtomic } from "../run/run-directory.js";
import type { PreparedData } from "./data.js";
import type { StageContext } from "./stage.js";
import { featureLookups } from "./stage1.js";

/** The optimizer and logging settings that Stage 1 and Stage 2 share. */
export interface TrainingSettings {
  learningRate: { embedding: number; dense: number };
  warmupSteps: number;
  decay: "linear" | "cosine" | "constant";
  weightDecay: number;
  clipNorm: number;
  logEvery: number;
}

/**
 * Trains the encoder on the sampler's batches with progress and one log line every `logEvery`
 * steps, then writes `checkpoint/` and `training.json` (with `extra` fields) into the stage folder.
 */
export async function trainAndSave(
  context: StageContext,
  dir: string,
  options: {
    stage: "stage1" | "stage2";
    encoder: TwoTowerEncoder;
    prepared: PreparedData;
    batches: Iterable<TrainingBatch>;
    totalSteps: number;
    loss: BatchLoss;
    settings: TrainingSettings;
    extra?: Record<string, unknown>;
  },
): Promise<TrainSummary> {
  const { logger } = context;
  const { stage, encoder, settings } = options;
  const summary = await trainEncoder({
    encoder,
    batches: options.batches,
    ...featureLookups(options.prepared, encoder),
    loss: options.loss,
    totalSteps: options.totalSteps,
    optimizer: {
      learningRate: settings.learningRate.dense,
      embeddingLearningRateScale: settings.learningRate.embedding / settings.learningRate.dense,
      warmupSteps: settings.warmupSteps,
      decay: settings.decay,
      weightDecay: settings.weightDecay,
      maxGradNorm: settings.clipNorm,
    },
    logger,
    onStep: (info) => {
      context.progress({ task: `${stage} training`, done: info.step, total: info.totalSteps });
      if (info.step % settings.logEvery === 0 || info.step === info.totalSteps) {
        logger.log("info", `${stage} step`, {
          step: info.step,
          loss: info.loss,
          lr: info.learningRate,
          gradNorm: info.gradNorm,
          pairsPerSecond: Math.round(info.pairsPerSecond),
        });
      }
    },
  });

  await saveCheckpoint(path.join(dir, "checkpoint"), encoder, { stage, steps: summary.steps });
  const record = {
    ...options.extra,
    steps: summary.steps,
    pairs: summary.pairs,
    seconds: summary.elapsedSeconds,
    pairsPerSecond: summary.pairsPerSecond,
    stopReason: summary.stopReason,
    losses: summary.losses,
  };
  await writeAtomic(path.join(dir, "training.json"), `${JSON.stringify(record, null, 1)}\n`);
  return summary;
}
