import { type Judgment, MineRefineError, tokenize } from "@mine-refine/core";
import { createBatchSampler, createInfoNceLoss, createSupConLoss } from "@mine-refine/losses";
import type { TwoTowerEncoder } from "@mine-refine/model";
import { OrtMatmul } from "@mine-refine/model/ort";
import type { TrainConfig } from "../config/schema.js";
import type { StageContext } from "./stage.js";
import { syntheticShareCap } from "./augment-record.js";
import { runBackboneStage1 } from "./backbone.js";
import type { PreparedData } from "./data.js";
import { createEncoder } from "./encoder.js";
import { trainAndSave } from "./train-stage.js";

/** Judgments of the training split. */
export function trainJudgments(judgments: readonly Judgment[], trainQueryIds: readonly string[]): Judgment[] {
  const train = new Set(trainQueryIds);
  return judgments.filter((judgment) => train.has(judgment.queryId));
}

export function stage1Loss(config: TrainConfig) {
  const loss = config.stage1.loss;
  return loss.type === "infonce"
    ? createInfoNceLoss({ temperature: loss.temperature })
    : createSupConLoss({ temperature: loss.temperature, moderateAs: loss.moderateAs, moderateWeight: loss.moderateWeight });
}

/**
 * Stage 1: trains the Siamese tower from a random initialisation with the label-aware supervised
 * contrastive loss on the training split, and writes `checkpoint/` and `training.json`.
 */
export async function runStage1(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const prepared = await context.data();
  const { dataset, split } = prepared;
  const judgments = trainJudgments(dataset.judgments, split.train);
  if (judgments.length === 0) {
    throw new MineRefineError("empty_training_split", "The training split has no judgments. Lower data.split.devFraction or testFraction, or check the data set.");
  }
  if (config.model.backbone !== undefined) {
    await runBackboneStage1(context, dir, prepared, judgments);
    return;
  }

  const matmul = new OrtMatmul({ intraOpNumThreads: config.threads });
  try {
    const encoder = createEncoder(config, matmul);
    const stage = config.stage1;
    const sampler = createBatchSampler({
      judgments,
      queriesPerBatch: stage.queriesPerBatch,
      productsPerQuery: stage.productsPerQuery,
      seed: config.seed,
      epochs: stage.epochs,
      ...syntheticShareCap(config),
      ...(stage.grouping === "head-word" ? { groupOf: headWordGrouping(prepared) } : {}),
    });
    const totalSteps = sampler.batchesPerEpoch * stage.epochs;
    logger.log("info", "stage1: training", {
      queries: sampler.queryCount,
      judgments: judgments.length,
      syntheticQueriesPerEpoch: sampler.syntheticQueriesPerEpoch,
      epochs: stage.epochs,
      steps: totalSteps,
    });

    const summary = await trainAndSave(context, dir, {
      stage: "stage1",
      encoder,
      prepared,
      batches: sampler,
      totalSteps,
      loss: stage1Loss(config),
      settings: stage,
    });
    logger.log("info", "stage1: trained", {
      steps: summary.steps,
      seconds: summary.elapsedSeconds,
      pairsPerSecond: Math.round(summary.pairsPerSecond),
      finalLoss: summary.losses[summary.losses.length - 1] ?? Number.NaN,
    });
  } finally {
    await matmul.dispose();
  }
}

/** Groups queries by their last word, so that e.g. all "… drill" queries share batches. */
export function headWordGrouping(prepared: PreparedData): (queryId: string) => string {
  return (queryId) => {
    const words = tokenize(prepared.query(queryId).text);
    return words[words.length - 1] ?? "";
  };
}

/** Feature lookups for training, computed once per id and cached. */
export function featureLookups(prepared: PreparedData, encoder: TwoTowerEncoder) {
  const cache = new Map<string, Int32Array>();
  return {
    featuresForQuery(queryId: string): Int32Array {
      const key = `q:${queryId}`;
      let features = cache.get(key);
      if (features === undefined) {
        features = encoder.featurizer.featurizeQuery(prepared.query(queryId).text);
        cache.set(key, features);
      }
      return features;
    },
    featuresForProduct(productId: string): Int32Array {
      const key = `p:${productId}`;
      let features = cache.get(key);
      if (features === undefined) {
        features = encoder.featurizer.featurizeProduct(prepared.product(productId));
        cache.set(key, features);
      }
      return features;
    },
  };
}
