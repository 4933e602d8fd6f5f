import type { EncoderGradients, TwoTowerEncoder } from "../encoder.js";
import { type AdamSettings, AdamW } from "./adamw.js";
import { clipGradientNorm, type ClipResult } from "./clip.js";
import { LazyAdam } from "./lazy-adam.js";

export interface EncoderOptimizerSettings extends AdamSettings {
  /** Decoupled weight decay of the dense weight matrices (not biases, not the table). Defaults to 0.01. */
  weightDecay?: number;
  /** Maximum global gradient norm over dense and sparse gradients; Infinity turns clipping off. Defaults to 1. */
  maxGradNorm?: number;
  /**
   * Multiplier of the learning rate for the embedding table. Defaults to 1. Each table row receives few
   * updates, so values above 1 give rarely seen features larger steps.
   */
  embeddingLearningRateScale?: number;
}

/**
 * Lazy Adam for the embedding table and AdamW for the dense layers of one encoder, with gradient
 * clipping over both. For the default encoder the moments take about twice the table's memory.
 */
// NOTE: the moments live in memory only, so training resumed from a checkpoint restarts them at zero.
export class EncoderOptimizer {
  private readonly dense: AdamW;
  private readonly sparse: LazyAdam;
  private readonly maxGradNorm: number;
  private readonly embeddingLearningRateScale: number;

  constructor(encoder: TwoTowerEncoder, settings: EncoderOptimizerSettings = {}) {
    const parameters = encoder.parameters().slice(1); // every parameter after the embedding table
    this.dense = new AdamW(parameters, { ...settings, weightDecay: settings.weightDecay ?? 0.01 });
    this.sparse = new LazyAdam(encoder.embedding.table, encoder.embedding.dim, settings);
    this.maxGradNorm = settings.maxGradNorm ?? 1;
    this.embeddingLearningRateScale = settings.embeddingLearningRateScale ?? 1;
  }

  /** Clips `grads` in place, then updates every parameter. Returns the norm before clipping. */
  step(grads: EncoderGradients, learningRate: number): ClipResult {
    const denseGradients = grads.linears.flatMap((layer) => [layer.weight, layer.bias]);
    const clip = clipGradientNorm(denseGradients, [grads.embedding], this.maxGradNorm);
    this.dense.step(denseGradients, learningRate);
    this.sparse.step(grads.embedding, learningRate * this.embeddingLearningRateScale);
    return clip;
  }
}

/** Zeroes every gradient buffer, ready for the next step's backward passes. */
export function zeroGradients(grads: EncoderGradients): void {
  grads.embedding.clear();
  for (const layer of grads.linears) {
    layer.weight.fill(0);
    layer.bias.fill(0);
  }
}
