/**
 * Stage 1 on a frozen pretrained backbone (`model.backbone`): the backbone embeds every text once
 * (through an on-disk cache), and only a head with the `model` section's hiddenDims, outputDim and
 * activation trains, with the Stage 1 loss and optimizer settings.
 */
import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { InternalError, type Judgment, MineRefineError } from "@mine-refine/core";
import { createBatchSampler } from "@mine-refine/losses";
import type { EmbeddingModel, MatmulBackend } from "@mine-refine/model";
import {
  BackboneHead,
  BackboneTower,
  type BackboneTextOptions,
  backboneProductText,
  backboneQueryText,
  embedById,
  generateTinyBertModel,
  loadBackboneHead,
  type OpenedBackbone,
  openBackbone,
  saveBackboneHead,
  trainBackboneHead,
  vocabularyFromTexts,
} from "@mine-refine/model/backbone";
import { OrtMatmul } from "@mine-refine/model/ort";
import type { TrainConfig } from "../config/schema.js";
import type { RunDirectory } from "../run/run-directory.js";
import { writeAtomic } from "../run/run-directory.js";
import { syntheticShareCap } from "./augment-record.js";
import type { PreparedData } from "./data.js";
import type { StageContext } from "./stage.js";
import { stage1Loss } from "./stage1.js";

type BackboneConfig = NonNullable<TrainConfig["model"]["backbone"]>;

/** Folder of the trained head inside a stage folder. */
export const HEAD_DIR = "head";

/** Returns the backbone section of a config, and raises an InternalError when it is missing. */
function backboneConfig(config: TrainConfig): BackboneConfig {
  const backbone = config.model.backbone;
  if (backbone === undefined) throw new InternalError("backbone code ran without model.backbone");
  return backbone;
}

function textOptions(config: TrainConfig): BackboneTextOptions {
  const backbone = backboneConfig(config);
  return { queryPrefix: backbone.queryPrefix, productPrefix: backbone.productPrefix, productFields: config.model.productFields };
}

// One loaded backbone per run in this process, shared by Stage 1, the untrained baseline and evaluation.
// NOTE: its ONNX Runtime session lives until the process exits; nothing disposes it.
const openedBackbones = new WeakMap<RunDirectory, Promise<OpenedBackbone>>();

/** Loads the run's backbone with its vector cache, writing the tiny test model first when `generateTiny` is set and the folder has no model. */
export function runBackbone(context: StageContext): Promise<OpenedBackbone> {
  let opened = openedBackbones.get(context.run);
  if (opened === undefined) {
    opened = (async () => {
      const backbone = backboneConfig(context.config);
      if (backbone.generateTiny !== undefined && !existsSync(path.join(backbone.path, "config.json"))) await generateTinyModel(context, backbone);
      return openBackbone(backbone.path, {
        maxLength: backbone.maxLength,
        batchSize: backbone.batchSize,
        threads: context.config.threads,
        cacheDir: backbone.cacheDir ?? path.join(context.run.root, "cache", "backbone"),
      });
    })();
    openedBackbones.set(context.run, opened);
  }
  return opened;
}

/** Writes a tiny random BERT-style model whose vocabulary comes from the data set's texts, then renames it into place. */
async function generateTinyModel(context: StageContext, backbone: BackboneConfig): Promise<void> {
  const tiny = backbone.generateTiny!;
  const { dataset } = await context.data();
  const texts = [...dataset.queries.map((query) => query.text), ...dataset.products.map((product) => backboneProductText(product, textOptions(context.config)))];
  const temporary = `${backbone.path}.tmp-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  await generateTinyBertModel(temporary, {
    vocab: vocabularyFromTexts(texts, { maxWords: tiny.maxWords }),
    hiddenSize: tiny.hiddenSize,
    seed: tiny.seed,
    maxPositions: backbone.maxLength,
  });
  await rename(temporary, backbone.path);
  context.logger.log("info", "stage1: generated a tiny random backbone", { path: backbone.path, hiddenSize: tiny.hiddenSize });
}

/** Trains the head of Stage 1 on the backbone, and writes `head/` and `training.json` into `dir`. */
export async function runBackboneStage1(context: StageContext, dir: string, prepared: PreparedData, judgments: readonly Judgment[]): Promise<void> {
  const { config, logger } = context;
  if (config.stage2.enabled) {
    throw new MineRefineError("unsupported_option", "model.backbone does not work with Stage 2 yet. Set stage2.enabled to false, or remove model.backbone.");
  }
  // TODO: export the backbone and head as one ONNX model; the registry skips the export stage for now.
  if (config.export.enabled) logger.log("warn", "stage1: the export stage is skipped, because a backbone head has no ONNX export yet");
  const opened = await runBackbone(context);
  const text = textOptions(config);
  const queryIds = [...new Set(judgments.map((judgment) => judgment.queryId))];
  const productIds = [...new Set(judgments.map((judgment) => judgment.productId))];
  const onProgress = (event: { task: string; done: number; total?: number }) => context.progress({ task: `stage1: ${event.task}`, done: event.done, total: event.total ?? 0 });
  const queryVectors = await embedById(opened.embedder, queryIds.map((id) => ({ id, text: backboneQueryText(prepared.query(id).text, text) })), { onProgress });
  const productVectors = await embedById(opened.embedder, productIds.map((id) => ({ id, text: backboneProductText(prepared.product(id), text) })), { onProgress });
  logger.log("info", "stage1: backbone vectors ready", { queries: queryIds.length, products: productIds.length, ...opened.cache?.stats });

  const matmul = new OrtMatmul({ intraOpNumThreads: config.threads });
  try {
    const head = createHead(config, opened.backbone.dim, matmul);
    const stage = config.stage1;
    // NOTE: stage1.grouping is not applied here yet, so backbone heads always train on random batches.
    const sampler = createBatchSampler({
      judgments,
      queriesPerBatch: stage.queriesPerBatch,
      productsPerQuery: stage.productsPerQuery,
      seed: config.seed,
      epochs: stage.epochs,
      ...syntheticShareCap(config),
    });
    const totalSteps = sampler.batchesPerEpoch * stage.epochs;
    logger.log("info", "stage1: training the backbone head", { backbone: opened.backbone.dir, queries: sampler.queryCount, judgments: judgments.length, epochs: stage.epochs, steps: totalSteps });

    const summary = await trainBackboneHead({
      head,
      batches: sampler,
      vectorForQuery: (id) => queryVectors.get(id)!,
      vectorForProduct: (id) => productVectors.get(id)!,
      loss: stage1Loss(config),
      totalSteps,
      optimizer: { learningRate: stage.learningRate.dense, warmupSteps: stage.warmupSteps, decay: stage.decay, weightDecay: stage.weightDecay, maxGradNorm: stage.clipNorm },
      logger,
      onStep: (info) => {
        context.progress({ task: "stage1 training", done: info.step, total: info.totalSteps });
        if (info.step % stage.logEvery === 0 || info.step === info.totalSteps) {
          logger.log("info", "stage1 step", { step: info.step, loss: info.loss, lr: info.learningRate, gradNorm: info.gradNorm, pairsPerSecond: Math.round(info.pairsPerSecond) });
        }
      },
    });

    const backbone = { path: opened.backbone.dir, modelHash: opened.backbone.modelHash, maxLength: opened.backbone.maxLength };
    await saveBackboneHead(path.join(dir, HEAD_DIR), { head, backbone, text }, { stage: "stage1", steps: summary.steps });
    await writeAtomic(
      path.join(dir, "training.json"),
      `${JSON.stringify({ steps: summary.steps, pairs: summary.pairs, seconds: summary.elapsedSeconds, pairsPerSecond: summary.pairsPerSecond, stopReason: summary.stopReason, losses: summary.losses }, null, 1)}\n`,
    );
    logger.log("info", "stage1: trained", { steps: summary.steps, seconds: summary.elapsedSeconds, finalLoss: summary.losses.at(-1) ?? Number.NaN });
  } finally {
    await matmul.dispose();
  }
}

function createHead(config: TrainConfig, inputDim: number, matmul: MatmulBackend): BackboneHead {
  const { hiddenDims, outputDim, activation } = config.model;
  return new BackboneHead({ inputDim, hiddenDims, outputDim, activation }, { matmul, seed: config.seed });
}

/** Loads the head a finished stage trained and puts it on the run's backbone, checking the backbone's hash. */
export async function loadBackboneModel(context: StageContext, stage: string, matmul: MatmulBackend): Promise<{ model: EmbeddingModel; dispose(): Promise<void> }> {
  const headDir = path.join(context.run.stageDir(stage), HEAD_DIR);
  const saved = await loadBackboneHead(headDir, { matmul });
  const opened = await runBackbone(context);
  if (saved.backbone.modelHash !== opened.backbone.modelHash) {
    throw new MineRefineError(
      "backbone_changed",
      `The backbone at ${opened.backbone.dir} has changed since ${stage} trained the head in ${headDir}. Restore the model files, or rerun with --restart.`,
    );
  }
  return { model: new BackboneTower(opened.embedder, saved.head, saved.text), dispose: async () => {} };
}

/** Creates the untrained baseline: a randomly initialised head on the run's backbone. */
export async function untrainedBackboneModel(context: StageContext, matmul: MatmulBackend): Promise<EmbeddingModel> {
  const opened = await runBackbone(context);
  return new BackboneTower(opened.embedder, createHead(context.config, opened.backbone.dim, matmul), textOptions(context.config));
}
