/**
 * The trainable head on top of a frozen backbone. Shapes used below: B = texts in a batch,
 * I = inputDim (the backbone's hidden size), H_i = hiddenDims[i], O = outputDim.
 *
 *   backbone vectors [B, I] → (Linear → activation) per hidden layer [B, H_i]
 *                           → Linear [B, O] → L2 normalisation [B, O]
 *
 * It is the n-gram tower's MLP with the embedding bag replaced by fixed backbone vectors, so it
 * reuses the same layers and the same parameter naming.
 */
import { Rng } from "@mine-refine/core";
import type { NamedParameter } from "../encoder.js";
import { type Activation, activationBackward, activationForward } from "../layers/activation.js";
import { type L2NormalizeResult, l2NormalizeBackward, l2NormalizeForward } from "../layers/l2-normalize.js";
import { Linear, type LinearGradients } from "../layers/linear.js";
import type { MatmulBackend } from "../matmul/backend.js";
import { JsMatmul } from "../matmul/js-matmul.js";

export interface BackboneHeadConfig {
  /** Width of the backbone vectors, the backbone's hidden size. */
  inputDim: number;
  /** Widths of the hidden layers; may be empty for a single linear projection. */
  hiddenDims: number[];
  outputDim: number;
  activation: Activation;
}

/** Everything `backward` needs from a forward pass. */
export interface BackboneHeadCache {
  rows: number;
  /** Input of each Linear layer: [B, I] for the first, [B, H_i] after. */
  layerInputs: Float32Array[];
  /** Pre-activation output of each hidden Linear layer, [B, H_i]. */
  preActivations: Float32Array[];
  normalization: L2NormalizeResult;
}

/** Caller-owned gradient buffers of every head layer. */
export interface BackboneHeadGradients {
  linears: LinearGradients[];
}

export class BackboneHead {
  readonly config: BackboneHeadConfig;
  /** hiddenDims.length + 1 layers; an activation follows every one but the last. */
  readonly linears: Linear[];
  readonly matmul: MatmulBackend;

  constructor(config: BackboneHeadConfig, options: { matmul?: MatmulBackend; seed?: number; skipInitialization?: boolean } = {}) {
    validateBackboneHeadConfig(config);
    this.config = { ...config, hiddenDims: [...config.hiddenDims] };
    this.matmul = options.matmul ?? new JsMatmul();
    const widths = [config.inputDim, ...config.hiddenDims, config.outputDim];
    this.linears = [];
    for (let i = 0; i + 1 < widths.length; i++) this.linears.push(new Linear(widths[i]!, widths[i + 1]!, this.matmul));
    if (options.skipInitialization !== true) this.initialize(options.seed ?? 0);
  }

  get inputDim(): number {
    return this.config.inputDim;
  }

  get outputDim(): number {
    return this.config.outputDim;
  }

  /** Draws all weights from a generator seeded with `seed`, each layer from its own fork, as the n-gram tower does. */
  initialize(seed: number): void {
    const rng = new Rng(seed);
    this.linears.forEach((linear, i) => {
      const isOutput = i === this.linears.length - 1;
      linear.initialize(rng.fork(`linear.${i}`), isOutput ? "xavier" : "he");
    });
  }

  /** Returns [B, O] unit-length embeddings of `input` [B, I], keeping nothing for a backward pass. */
  async encode(input: Float32Array, rows: number): Promise<Float32Array> {
    return (await this.forward(input, rows)).output;
  }

  /** Returns [B, O] unit-length embeddings of `input` [B, I] and the cache `backward` needs. */
  async forward(input: Float32Array, rows: number): Promise<{ output: Float32Array; cache: BackboneHeadCache }> {
    if (input.length !== rows * this.config.inputDim) {
      throw new RangeError(`BackboneHead.forward: input has ${input.length} values, expected [${rows}, ${this.config.inputDim}]`);
    }
    const layerInputs: Float32Array[] = [];
    const preActivations: Float32Array[] = [];
    let hidden = input;
    for (let i = 0; i < this.linears.length; i++) {
      layerInputs.push(hidden);
      hidden = await this.linears[i]!.forward(hidden, rows); // [B, H_i] or [B, O]
      if (i < this.linears.length - 1) {
        preActivations.push(hidden);
        hidden = activationForward(this.config.activation, hidden);
      }
    }
    const normalization = l2NormalizeForward(hidden, rows, this.config.outputDim);
    return { output: normalization.output, cache: { rows, layerInputs, preActivations, normalization } };
  }

  /** Accumulates the gradients of every layer for `gradOutput` [B, O] into `grads`; the backbone input gets none. */
  async backward(cache: BackboneHeadCache, gradOutput: Float32Array, grads: BackboneHeadGradients): Promise<void> {
    const { rows } = cache;
    if (gradOutput.length !== rows * this.config.outputDim) {
      throw new RangeError(`BackboneHead.backward: gradOutput has ${gradOutput.length} values, expected [${rows}, ${this.config.outputDim}]`);
    }
    let gradient = l2NormalizeBackward(cache.normalization, gradOutput, rows, this.config.outputDim); // [B, O]
    for (let i = this.linears.length - 1; i >= 0; i--) {
      if (i < this.linears.length - 1) gradient = activationBackward(this.config.activation, cache.preActivations[i]!, gradient);
      // After the first layer, gradient is the input gradient [B, I], which the frozen backbone discards.
      gradient = await this.linears[i]!.backward(cache.layerInputs[i]!, gradient, rows, grads.linears[i]!);
    }
  }

  createGradients(): BackboneHeadGradients {
    return { linears: this.linears.map((linear) => linear.createGradients()) };
  }

  /** Lists every parameter in checkpoint order: each layer's weight, then its bias. */
  parameters(): NamedParameter[] {
    return this.linears.flatMap((linear, i) => [
      { name: `linears.${i}.weight`, shape: [linear.inputDim, linear.outputDim], data: linear.weight, decay: true },
      { name: `linears.${i}.bias`, shape: [linear.outputDim], data: linear.bias, decay: false },
    ]);
  }
}

/** Throws a RangeError listing every invalid field of a head config. */
export function validateBackboneHeadConfig(config: BackboneHeadConfig): void {
  const problems: string[] = [];
  const positive = (name: string, value: unknown) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) problems.push(`${name} must be a positive integer, received ${String(value)}`);
  };
  positive("inputDim", config.inputDim);
  positive("outputDim", config.outputDim);
  if (!Array.isArray(config.hiddenDims)) problems.push(`hiddenDims must be an array, received ${String(config.hiddenDims)}`);
  else for (const [i, width] of config.hiddenDims.entries()) positive(`hiddenDims[${i}]`, width);
  if (config.activation !== "relu" && config.activation !== "gelu") problems.push(`activation must be "relu" or "gelu", received ${String(config.activation)}`);
  if (problems.length > 0) throw new RangeError(`Invalid backbone head config: ${problems.join("; ")}`);
}
