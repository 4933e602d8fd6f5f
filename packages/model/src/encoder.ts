/**
 * Shapes used below: B = texts in a batch, E = embeddingDim, H_i = hiddenDims[i], O = outputDim,
 * nnz = feature ids in the batch.
 *
 *   features → EmbeddingBag [B, E] → (Linear → activation) per hidden layer [B, H_i]
 *            → Linear [B, O] → L2 normalisation [B, O]
 *
 * One tower serves queries and products (a Siamese two-tower model), so a dot product of two
 * outputs is their cosine similarity.
 */
import { type Product, type ProgressCallback, Rng, noProgress } from "@mine-refine/core";
import { type FeatureBatch, Featurizer, type FeaturizerConfig, resolveFeaturizerConfig } from "./featurizer.js";
import { type Activation, activationBackward, activationForward } from "./layers/activation.js";
import { type BagRowIndex, EmbeddingBag, type Pooling } from "./layers/embedding-bag.js";
import { type L2NormalizeResult, l2NormalizeBackward, l2NormalizeForward } from "./layers/l2-normalize.js";
import { Linear, type LinearGradients } from "./layers/linear.js";
import { SparseRowGradient } from "./layers/sparse-gradient.js";
import { JsMatmul } from "./matmul/js-matmul.js";
import type { MatmulBackend } from "./matmul/backend.js";

export interface EncoderConfig {
  featurizer: FeaturizerConfig;
  embeddingDim: number;
  /** Widths of the hidden layers between the embedding bag and the output layer; may be empty. */
  hiddenDims: number[];
  outputDim: number;
  pooling: Pooling;
  activation: Activation;
  /**
   * Standard deviation of the normal initialisation of the embedding table. Defaults to 0.1. The
   * final L2 normalisation removes the overall scale, so this mostly sets the initial step size of
   * the table relative to its values.
   */
  embeddingInitStd?: number;
}

/** Defaults for the real-data runs: 2^18 buckets, a 256-wide bag, one 512-wide hidden layer, 256 outputs. */
export const DEFAULT_ENCODER_CONFIG: EncoderConfig = {
  featurizer: { buckets: 2 ** 18, seed: 0 },
  embeddingDim: 256,
  hiddenDims: [512],
  outputDim: 256,
  pooling: "sqrt",
  activation: "gelu",
};

export interface EncoderOptions {
  /** Dense matrix products; defaults to the plain TypeScript reference `JsMatmul`. Pass an `OrtMatmul` for speed. */
  matmul?: MatmulBackend;
  /** Seed of the weight initialisation. Defaults to 0. */
  seed?: number;
  /** Skip initialisation and leave every weight at zero, because a checkpoint will overwrite them. */
  skipInitialization?: boolean;
}

/** Everything `backward` needs from a forward pass. */
export interface EncoderCache {
  /** The batch's feature occurrences grouped by embedding row. */
  index: BagRowIndex;
  rows: number;
  /** Input of each Linear layer: [B, E] for the first, [B, H_i] after. */
  layerInputs: Float32Array[];
  /** Pre-activation output of each hidden Linear layer, [B, H_i]. */
  preActivations: Float32Array[];
  normalization: L2NormalizeResult;
}

/** Caller-owned gradient buffers for every parameter of an encoder. */
export interface EncoderGradients {
  embedding: SparseRowGradient;
  linears: LinearGradients[];
}

/** A parameter tensor with its checkpoint name. `data` is the live buffer, not a copy. */
export interface NamedParameter {
  name: string;
  shape: number[];
  data: Float32Array;
  /** Whether AdamW applies weight decay to it (weights yes, biases and the embedding table no). */
  decay: boolean;
}

export interface EncodeOptions {
  /** Texts featurized and encoded together. Defaults to 512; larger chunks use more memory per call. */
  chunkSize?: number;
  onProgress?: ProgressCallback;
}

export class TwoTowerEncoder {
  readonly config: EncoderConfig;
  readonly featurizer: Featurizer;
  readonly embedding: EmbeddingBag;
  /** hiddenDims.length + 1 layers; an activation follows every one but the last. */
  readonly linears: Linear[];
  readonly matmul: MatmulBackend;

  constructor(config: EncoderConfig, options: EncoderOptions = {}) {
    validateEncoderConfig(config);
    this.config = { ...config, featurizer: resolveFeaturizerConfig(config.featurizer), hiddenDims: [...config.hiddenDims] };
    this.matmul = options.matmul ?? new JsMatmul();
    this.featurizer = new Featurizer(config.featurizer);
    this.embedding = new EmbeddingBag(this.featurizer.config.buckets, config.embeddingDim, config.pooling);
    const widths = [config.embeddingDim, ...config.hiddenDims, config.outputDim];
    this.linears = [];
    for (let i = 0; i + 1 < widths.length; i++) this.linears.push(new Linear(widths[i]!, widths[i + 1]!, this.matmul));
    if (options.skipInitialization !== true) this.initialize(options.seed ?? 0);
  }

  get outputDim(): number {
    return this.config.outputDim;
  }

  /** Draws all weights from a generator seeded with `seed`, each layer from its own fork. */
  initialize(seed: number): void {
    const rng = new Rng(seed);
    this.embedding.initialize(rng.fork("embedding"), this.config.embeddingInitStd ?? 0.1);
    this.linears.forEach((linear, i) => {
      const isOutput = i === this.linears.length - 1;
      linear.initialize(rng.fork(`linear.${i}`), isOutput ? "xavier" : "he");
    });
  }

  /** Returns [B, O] unit-length embeddings, keeping nothing for a backward pass. */
  async encode(batch: FeatureBatch): Promise<Float32Array> {
    const rows = batch.offsets.length - 1;
    let hidden = this.embedding.forward(batch); // [B, E]
    for (let i = 0; i < this.linears.length; i++) {
      const linear = this.linears[i]!;
      hidden = await linear.forward(hidden, rows); // [B, H_i] or [B, O]
      if (i < this.linears.length - 1) hidden = activationForward(this.config.activation, hidden);
    }
    return l2NormalizeForward(hidden, rows, this.config.outputDim).output;
  }

  /** Returns [B, O] unit-length embeddings and the cache `backward` needs. */
  async forward(batch: FeatureBatch): Promise<{ output: Float32Array; cache: EncoderCache }> {
    const rows = batch.offsets.length - 1;
    const layerInputs: Float32Array[] = [];
    const preActivations: Float32Array[] = [];
    const index = this.embedding.indexBatch(batch);
    let hidden = this.embedding.forward(index); // [B, E]
    for (let i = 0; i < this.linears.length; i++) {
      layerInputs.push(hidden);
      hidden = await this.linears[i]!.forward(hidden, rows);
      if (i < this.linears.length - 1) {
        preActivations.push(hidden);
        hidden = activationForward(this.config.activation, hidden);
      }
    }
    const normalization = l2NormalizeForward(hidden, rows, this.config.outputDim);
    return { output: normalization.output, cache: { index, rows, layerInputs, preActivations, normalization } };
  }

  /** Accumulates the gradients of every parameter for `gradOutput` [B, O] into `grads`. */
  async backward(cache: EncoderCache, gradOutput: Float32Array, grads: EncoderGradients): Promise<void> {
    const { rows } = cache;
    if (gradOutput.length !== rows * this.config.outputDim) {
      throw new RangeError(`TwoTowerEncoder.backward: gradOutput has ${gradOutput.length} values, expected [${rows}, ${this.config.outputDim}]`);
    }
    let gradient = l2NormalizeBackward(cache.normalization, gradOutput, rows, this.config.outputDim); // [B, O]
    for (let i = this.linears.length - 1; i >= 0; i--) {
      if (i < this.linears.length - 1) gradient = activationBackward(this.config.activation, cache.preActivations[i]!, gradient);
      gradient = await this.linears[i]!.backward(cache.layerInputs[i]!, gradient, rows, grads.linears[i]!);
    }
    this.embedding.backward(cache.index, gradient, grads.embedding); // gradient is [B, E] here
  }

  createGradients(): EncoderGradients {
    return {
      embedding: new SparseRowGradient(this.embedding.buckets, this.embedding.dim),
      linears: this.linears.map((linear) => linear.createGradients()),
    };
  }

  /** Lists every parameter in checkpoint order: the embedding table, then each layer's weight and bias. */
  parameters(): NamedParameter[] {
    const list: NamedParameter[] = [
      { name: "embedding.weight", shape: [this.embedding.buckets, this.embedding.dim], data: this.embedding.table, decay: false },
    ];
    this.linears.forEach((linear, i) => {
      list.push({ name: `linears.${i}.weight`, shape: [linear.inputDim, linear.outputDim], data: linear.weight, decay: true });
      list.push({ name: `linears.${i}.bias`, shape: [linear.outputDim], data: linear.bias, decay: false });
    });
    return list;
  }

  /** Featurizes and encodes query texts in chunks; returns [texts.length, O]. */
  encodeTexts(texts: readonly string[], options: EncodeOptions = {}): Promise<Float32Array> {
    return this.encodeInChunks(texts, (text) => this.featurizer.featurizeQuery(text), "encode texts", options);
  }

  /** Featurizes and encodes products in chunks; returns [products.length, O]. */
  encodeProducts(products: readonly Product[], options: EncodeOptions = {}): Promise<Float32Array> {
    return this.encodeInChunks(products, (product) => this.featurizer.featurizeProduct(product), "encode products", options);
  }

  private async encodeInChunks<T>(items: readonly T[], featurize: (item: T) => Int32Array, task: string, options: EncodeOptions): Promise<Float32Array> {
    const chunkSize = options.chunkSize ?? 512;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, received ${chunkSize}`);
    const onProgress = options.onProgress ?? noProgress;
    const dim = this.config.outputDim;
    const output = new Float32Array(items.length * dim); // [items, O]
    for (let start = 0; start < items.length; start += chunkSize) {
      const chunk = items.slice(start, start + chunkSize);
      const embeddings = await this.encode(this.featurizer.batch(chunk.map(featurize)));
      output.set(embeddings, start * dim);
      onProgress({ task, done: start + chunk.length, total: items.length });
    }
    return output;
  }
}

/** Throws a RangeError listing every invalid size in an encoder config. */
export function validateEncoderConfig(config: EncoderConfig): void {
  const problems: string[] = [];
  const positive = (name: string, value: unknown) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) problems.push(`${name} must be a positive integer, received ${String(value)}`);
  };
  positive("embeddingDim", config.embeddingDim);
  positive("outputDim", config.outputDim);
  if (!Array.isArray(config.hiddenDims)) problems.push(`hiddenDims must be an array, received ${String(config.hiddenDims)}`);
  else {
    for (const [i, width] of config.hiddenDims.entries()) positive(`hiddenDims[${i}]`, width);
  }
  if (config.pooling !== "mean" && config.pooling !== "sqrt") problems.push(`pooling must be "mean" or "sqrt", received ${String(config.pooling)}`);
  if (config.activation !== "relu" && config.activation !== "gelu") problems.push(`activation must be "relu" or "gelu", received ${String(config.activation)}`);
  if (config.embeddingInitStd !== undefined && !(config.embeddingInitStd > 0)) problems.push(`embeddingInitStd must be positive, received ${config.embeddingInitStd}`);
  if (problems.length > 0) throw new RangeError(`Invalid encoder config: ${problems.join("; ")}`);
}
