/**
 * Shapes used below: Q = queries in a batch, P = products in a batch, D = encoder output width.
 */
import { type Logger, MineRefineError, silentLogger } from "@mine-refine/core";
import type { BatchLoss, TrainingBatch } from "@mine-refine/losses";
import type { EncoderGradients, TwoTowerEncoder } from "./encoder.js";
import { EncoderOptimizer, type EncoderOptimizerSettings, zeroGradients } from "./optim/encoder-optimizer.js";
import { type LearningRateSchedule, learningRateAt, validateSchedule } from "./optim/schedule.js";

export interface TrainOptimizerSettings extends EncoderOptimizerSettings {
  /** Peak learning rate, reached after warmup. */
  learningRate: number;
  /** Defaults to 0. */
  warmupSteps?: number;
  /** Defaults to "linear". */
  decay?: LearningRateSchedule["decay"];
  /** Defaults to 0. */
  minLearningRate?: number;
}

/** Progress of one finished optimizer step. */
export interface TrainStepInfo {
  /** 1-based step number. */
  step: number;
  totalSteps: number;
  loss: number;
  learningRate: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** (query, product) pairs of this step: the products in the batch, each sampled for one query. */
  pairs: number;
  /** Pairs of this step divided by its wall-clock time, featurization lookups included. */
  pairsPerSecond: number;
  stepSeconds: number;
  elapsedSeconds: number;
}

export interface TrainEncoderOptions {
  encoder: TwoTowerEncoder;
  /** Batches in training order; training stops after `totalSteps` batches or when they run out. */
  batches: Iterable<TrainingBatch> | AsyncIterable<TrainingBatch>;
  /** Returns the feature ids of a query id, such as `encoder.featurizer.featurizeQuery(text)`, cached by the caller. */
  featuresForQuery(queryId: string): Int32Array;
  /** Returns the feature ids of a product id, such as `encoder.featurizer.featurizeProduct(product)`. */
  featuresForProduct(productId: string): Int32Array;
  loss: BatchLoss;
  /** Steps of the whole run; the learning rate schedule decays over them. */
  totalSteps: number;
  optimizer: TrainOptimizerSettings;
  /** An optimizer to continue with, for example from an earlier call; by default a fresh one is created. */
  optimizerState?: EncoderOptimizer;
  onStep?: (info: TrainStepInfo) => void;
  logger?: Logger;
  /** Stops training after the step in progress when aborted. */
  signal?: AbortSignal;
}

export interface TrainSummary {
  steps: number;
  pairs: number;
  /** Loss of every step, in order. */
  losses: number[];
  elapsedSeconds: number;
  /** Pairs of all steps divided by the total wall-clock time. */
  pairsPerSecond: number;
  stopReason: "completed" | "batches_exhausted" | "aborted";
  /** The optimizer, to pass as `optimizerState` when training continues. */
  optimizer: EncoderOptimizer;
}

/**
 * Trains the encoder: each step featurizes the batch's queries and products, encodes both through the
 * same tower, computes the loss, backpropagates both passes into one set of gradients, clips and
 * updates. With a deterministic matmul backend (JsMatmul, or OrtMatmul with a fixed thread count)
 * the same encoder seed and batches give bitwise-identical weights.
 */
export async function trainEncoder(options: TrainEncoderOptions): Promise<TrainSummary> {
  const { encoder, totalSteps } = options;
  const logger = options.logger ?? silentLogger;
  const schedule: LearningRateSchedule = {
    peakLearningRate: options.optimizer.learningRate,
    warmupSteps: options.optimizer.warmupSteps ?? 0,
    totalSteps,
    decay: options.optimizer.decay ?? "linear",
    minLearningRate: options.optimizer.minLearningRate ?? 0,
  };
  validateSchedule(schedule);
  const optimizer = options.optimizerState ?? new EncoderOptimizer(encoder, options.optimizer);
  const grads = encoder.createGradients();
  const losses: number[] = [];
  let pairs = 0;
  const startMs = performance.now();
  const isAborted = (): boolean => options.signal?.aborted === true;
  const summarize = (stopReason: TrainSummary["stopReason"]): TrainSummary => {
    const elapsedSeconds = (performance.now() - startMs) / 1000;
    const pairsPerSecond = elapsedSeconds > 0 ? pairs / elapsedSeconds : 0;
    logger.log(stopReason === "batches_exhausted" ? "warn" : "info", "training stopped", {
      steps: losses.length,
      totalSteps,
      stopReason,
      finalLoss: losses.at(-1),
      pairsPerSecond,
    });
    return { steps: losses.length, pairs, losses, elapsedSeconds, pairsPerSecond, stopReason, optimizer };
  };

  logger.log("info", "training started", { totalSteps, learningRate: schedule.peakLearningRate });
  if (isAborted()) return summarize("aborted");

  for await (const batch of options.batches) {
    const stepStartMs = performance.now();
    const step = losses.length;
    const learningRate = learningRateAt(schedule, step);
    const { loss, gradNorm } = await trainStep(options, batch, step, grads, optimizer, learningRate);
    losses.push(loss);
    pairs += batch.productIds.length;

    const nowMs = performance.now();
    const stepSeconds = (nowMs - stepStartMs) / 1000;
    options.onStep?.({
      step: step + 1,
      totalSteps,
      loss,
      learningRate,
      gradNorm,
      pairs: batch.productIds.length,
      pairsPerSecond: batch.productIds.length / stepSeconds,
      stepSeconds,
      elapsedSeconds: (nowMs - startMs) / 1000,
    });

    if (losses.length >= totalSteps) return summarize("completed");
    // Checked after the step, so an abort does not pull one more batch from the iterator.
    if (isAborted()) return summarize("aborted");
  }
  return summarize("batches_exhausted");
}

/** Runs one optimizer step on a batch and returns its loss and the gradient norm before clipping. */
async function trainStep(
  options: TrainEncoderOptions,
  batch: TrainingBatch,
  step: number,
  grads: EncoderGradients,
  optimizer: EncoderOptimizer,
  learningRate: number,
): Promise<{ loss: number; gradNorm: number }> {
  const { encoder } = options;
  const numQueries = batch.queryIds.length;
  const numProducts = batch.productIds.length;
  if (batch.grades.length !== numQueries * numProducts) {
    throw new RangeError(`trainEncoder: batch ${step + 1} has ${batch.grades.length} grades, expected [${numQueries}, ${numProducts}] = ${numQueries * numProducts}`);
  }

  const queryBatch = encoder.featurizer.batch(batch.queryIds.map((id) => options.featuresForQuery(id)));
  const productBatch = encoder.featurizer.batch(batch.productIds.map((id) => options.featuresForProduct(id)));
  const queries = await encoder.forward(queryBatch); // output [Q, D]
  const products = await encoder.forward(productBatch); // output [P, D]
  const result = options.loss({ queries: queries.output, products: products.output, numQueries, numProducts, dim: encoder.outputDim, grades: batch.grades });
  if (!Number.isFinite(result.loss)) {
    throw new MineRefineError(
      "non_finite_loss",
      `Training loss is ${result.loss} at step ${step + 1}. Lower optimizer.learningRate or set optimizer.maxGradNorm, and check the batch grades.`,
    );
  }

  zeroGradients(grads);
  await encoder.backward(queries.cache, result.gradQueries, grads);
  await encoder.backward(products.cache, result.gradProducts, grads);
  const clip = optimizer.step(grads, learningRate);
  return { loss: result.loss, gradNorm: clip.norm };
}
