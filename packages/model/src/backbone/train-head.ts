/**
 * Training of a BackboneHead on fixed backbone vectors. Shapes used below: Q = queries in a batch,
 * P = products in a batch, I = backbone width, D = head output width.
 *
 * It is separate from `trainEncoder` because that function featurizes ids into n-gram batches and
 * steps the sparse embedding table, while here the inputs are dense precomputed vectors and only
 * dense layers train. Schedule, clipping, AdamW, the losses and the step report are shared.
 */
import { type Logger, MineRefineError, silentLogger } from "@mine-refine/core";
import type { BatchLoss, TrainingBatch } from "@mine-refine/losses";
import { type AdamSettings, AdamW } from "../optim/adamw.js";
import { type ClipResult, clipGradientNorm } from "../optim/clip.js";
import { type LearningRateSchedule, learningRateAt, validateSchedule } from "../optim/schedule.js";
import type { TrainStepInfo } from "../train.js";
import type { BackboneHead, BackboneHeadGradients } from "./backbone-head.js";

export interface HeadOptimizerSettings extends AdamSettings {
  /** Decoupled weight decay of the weight matrices (not biases). Defaults to 0.01. */
  weightDecay?: number;
  /** Maximum global gradient norm; Infinity turns clipping off. Defaults to 1. */
  maxGradNorm?: number;
}

/** AdamW over every head parameter with global-norm clipping. */
// NOTE: the moments live in memory only, so training resumed from a saved head restarts them at zero.
export class HeadOptimizer {
  private readonly adam: AdamW;
  private readonly maxGradNorm: number;

  constructor(head: BackboneHead, settings: HeadOptimizerSettings = {}) {
    this.adam = new AdamW(head.parameters(), { ...settings, weightDecay: settings.weightDecay ?? 0.01 });
    this.maxGradNorm = settings.maxGradNorm ?? 1;
  }

  /** Clips `grads` in place, then updates every parameter. Returns the norm before clipping. */
  step(grads: BackboneHeadGradients, learningRate: number): ClipResult {
    const gradients = grads.linears.flatMap((layer) => [layer.weight, layer.bias]);
    const clip = clipGradientNorm(gradients, [], this.maxGradNorm);
    this.adam.step(gradients, learningRate);
    return clip;
  }
}

export interface TrainBackboneHeadOptions {
  head: BackboneHead;
  /** Batches in training order; training stops after `totalSteps` batches or when they run out. */
  batches: Iterable<TrainingBatch> | AsyncIterable<TrainingBatch>;
  /** Returns the backbone vector [I] of a query id, precomputed (see `embedById`). */
  vectorForQuery(queryId: string): Float32Array;
  /** Returns the backbone vector [I] of a product id. */
  vectorForProduct(productId: string): Float32Array;
  loss: BatchLoss;
  /** Steps of the whole run; the learning rate schedule decays over them. */
  totalSteps: number;
  optimizer: HeadOptimizerSettings & {
    learningRate: number;
    /** Defaults to 0. */
    warmupSteps?: number;
    /** Defaults to "linear". */
    decay?: LearningRateSchedule["decay"];
    /** Defaults to 0. */
    minLearningRate?: number;
  };
  /** An optimizer to continue with; by default a fresh one is created. */
  optimizerState?: HeadOptimizer;
  onStep?: (info: TrainStepInfo) => void;
  logger?: Logger;
  /** Stops training after the step in progress when aborted. */
  signal?: AbortSignal;
}

export interface TrainBackboneHeadSummary {
  steps: number;
  pairs: number;
  /** Loss of every step, in order. */
  losses: number[];
  elapsedSeconds: number;
  pairsPerSecond: number;
  stopReason: "completed" | "batches_exhausted" | "aborted";
  optimizer: HeadOptimizer;
}

/**
 * Trains the head: each step stacks the batch's backbone vectors, passes queries and products
 * through the same head, computes the loss, backpropagates both passes into one set of gradients,
 * clips and updates. The backbone is never touched.
 */
export async function trainBackboneHead(options: TrainBackboneHeadOptions): Promise<TrainBackboneHeadSummary> {
  const { head, totalSteps } = options;
  const logger = options.logger ?? silentLogger;
  const schedule: LearningRateSchedule = {
    peakLearningRate: options.optimizer.learningRate,
    warmupSteps: options.optimizer.warmupSteps ?? 0,
    totalSteps,
    decay: options.optimizer.decay ?? "linear",
    minLearningRate: options.optimizer.minLearningRate ?? 0,
  };
  validateSchedule(schedule);
  const optimizer = options.optimizerState ?? new HeadOptimizer(head, options.optimizer);
  const grads = head.createGradients();
  const losses: number[] = [];
  let pairs = 0;
  const startMs = performance.now();
  const isAborted = (): boolean => options.signal?.aborted === true;
  const summarize = (stopReason: TrainBackboneHeadSummary["stopReason"]): TrainBackboneHeadSummary => {
    const elapsedSeconds = (performance.now() - startMs) / 1000;
    const pairsPerSecond = elapsedSeconds > 0 ? pairs / elapsedSeconds : 0;
    logger.log(stopReason === "batches_exhausted" ? "warn" : "info", "head training stopped", { steps: losses.length, totalSteps, stopReason, finalLoss: losses.at(-1), pairsPerSecond });
    return { steps: losses.length, pairs, losses, elapsedSeconds, pairsPerSecond, stopReason, optimizer };
  };

  logger.log("info", "head training started", { totalSteps, learningRate: schedule.peakLearningRate });
  if (isAborted()) return summarize("aborted");

  for await (const batch of options.batches) {
    const stepStartMs = performance.now();
    const step = losses.length;
    const learningRate = learningRateAt(schedule, step);
    const { loss, gradNorm } = await trainHeadStep(options, batch, step, grads, optimizer, learningRate);
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

async function trainHeadStep(
  options: TrainBackboneHeadOptions,
  batch: TrainingBatch,
  step: number,
  grads: BackboneHeadGradients,
  optimizer: HeadOptimizer,
  learningRate: number,
): Promise<{ loss: number; gradNorm: number }> {
  const { head } = options;
  const numQueries = batch.queryIds.length;
  const numProducts = batch.productIds.length;
  if (batch.grades.length !== numQueries * numProducts) {
    throw new RangeError(`trainBackboneHead: batch ${step + 1} has ${batch.grades.length} grades, expected [${numQueries}, ${numProducts}] = ${numQueries * numProducts}`);
  }
  const queries = await head.forward(stackVectors(batch.queryIds, options.vectorForQuery, head.inputDim), numQueries); // output [Q, D]
  const products = await head.forward(stackVectors(batch.productIds, options.vectorForProduct, head.inputDim), numProducts); // output [P, D]
  const result = options.loss({ queries: queries.output, products: products.output, numQueries, numProducts, dim: head.outputDim, grades: batch.grades });
  if (!Number.isFinite(result.loss)) {
    throw new MineRefineError("non_finite_loss", `Training loss is ${result.loss} at step ${step + 1}. Lower the learning rate or the gradient norm limit, and check the batch grades.`);
  }

  for (const layer of grads.linears) {
    layer.weight.fill(0);
    layer.bias.fill(0);
  }
  await head.backward(queries.cache, result.gradQueries, grads);
  await head.backward(products.cache, result.gradProducts, grads);
  const clip = optimizer.step(grads, learningRate);
  return { loss: result.loss, gradNorm: clip.norm };
}

/** Copies the vectors of `ids` into one [ids.length, width] buffer. */
function stackVectors(ids: readonly string[], lookup: (id: string) => Float32Array, width: number): Float32Array {
  const stacked = new Float32Array(ids.length * width); // [n, I]
  ids.forEach((id, i) => {
    const vector = lookup(id);
    if (vector.length !== width) throw new RangeError(`trainBackboneHead: the vector of "${id}" has ${vector.length} values, expected the head's inputDim ${width}`);
    stacked.set(vector, i * width);
  });
  return stacked;
}
