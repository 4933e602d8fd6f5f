/**
 * Shapes used below: B = texts in a chunk, L = longest bag in the chunk, O = outputDim.
 */
import { readFile } from "node:fs/promises";
import { InputError, InternalError, type Product, noProgress } from "@mine-refine/core";
import ort from "onnxruntime-node";
import type { EmbeddingModel } from "../embedding-model.js";
import { type EncodeOptions, type EncoderConfig, validateEncoderConfig } from "../encoder.js";
import { type FeatureBatch, Featurizer } from "../featurizer.js";
import { ONNX_ATTENTION_MASK, ONNX_INPUT_IDS, ONNX_OUTPUT } from "./encoder-graph.js";
import { ENCODER_CONFIG_METADATA_KEY, ENCODER_ONNX_FORMAT, ENCODER_ONNX_FORMAT_VERSION, FORMAT_METADATA_KEY, FORMAT_VERSION_METADATA_KEY } from "./export-encoder.js";
import { readOnnxMetadata } from "./onnx-metadata.js";
import { padFeatureBatch } from "./padded-batch.js";

export interface OnnxEncoderOptions {
  /** Threads ONNX Runtime uses inside one run. Defaults to 2. */
  intraOpNumThreads?: number;
}

/**
 * A tower exported by `exportEncoderToOnnx`, run by ONNX Runtime. It reads the featurizer settings
 * from the model's metadata_props, so texts get the same feature ids as in training.
 */
export class OnnxEncoder implements EmbeddingModel {
  readonly config: EncoderConfig;
  readonly featurizer: Featurizer;
  /** Extra metadata_props entries stored at export, such as the training step. */
  readonly metadata: ReadonlyMap<string, string>;
  private readonly session: ort.InferenceSession;

  private constructor(config: EncoderConfig, metadata: ReadonlyMap<string, string>, session: ort.InferenceSession) {
    this.config = config;
    this.featurizer = new Featurizer(config.featurizer);
    this.metadata = metadata;
    this.session = session;
  }

  /** Loads an exported model file and raises an InputError naming the file when it is not one. */
  static async load(path: string, options: OnnxEncoderOptions = {}): Promise<OnnxEncoder> {
    const threads = options.intraOpNumThreads ?? 2;
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`OnnxEncoder: intraOpNumThreads must be a positive integer, received ${threads}`);
    const hint = "Point to a model.onnx written by exportEncoderToOnnx, or export the checkpoint again.";
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new InputError("onnx_model_not_found", { file: path }, `cannot read the ONNX model (${(error as Error).message})`, hint, { cause: error });
    }

    let metadata: Map<string, string>;
    try {
      metadata = readOnnxMetadata(bytes);
    } catch (error) {
      throw new InputError("invalid_onnx_model", { file: path }, `not a readable ONNX ModelProto (${(error as Error).message})`, hint, { cause: error });
    }
    const format = metadata.get(FORMAT_METADATA_KEY);
    const version = metadata.get(FORMAT_VERSION_METADATA_KEY);
    if (format !== ENCODER_ONNX_FORMAT || version !== String(ENCODER_ONNX_FORMAT_VERSION)) {
      throw new InputError(
        "invalid_onnx_model",
        { file: path, column: FORMAT_METADATA_KEY },
        `expected metadata format "${ENCODER_ONNX_FORMAT}" version ${ENCODER_ONNX_FORMAT_VERSION}, found ${JSON.stringify(format ?? null)} version ${JSON.stringify(version ?? null)}`,
        hint,
      );
    }
    let config: EncoderConfig;
    try {
      config = JSON.parse(metadata.get(ENCODER_CONFIG_METADATA_KEY) ?? "") as EncoderConfig;
      validateEncoderConfig(config);
    } catch (error) {
      throw new InputError("invalid_onnx_model", { file: path, column: ENCODER_CONFIG_METADATA_KEY }, (error as Error).message, hint, { cause: error });
    }

    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      extra: { session: { intra_op: { allow_spinning: "0" } } },
    });
    const extra = new Map([...metadata].filter(([key]) => !key.startsWith("mine_refine.")));
    return new OnnxEncoder(config, extra, session);
  }

  get outputDim(): number {
    return this.config.outputDim;
  }

  /** Returns [B, O] unit-length embeddings of a batch of bags. */
  async encode(batch: FeatureBatch): Promise<Float32Array> {
    const padded = padFeatureBatch(batch);
    if (padded.batch === 0) return new Float32Array(0);
    const dims = [padded.batch, padded.length];
    const results = await this.session.run({
      [ONNX_INPUT_IDS]: new ort.Tensor("int64", padded.inputIds, dims), // [B, L]
      [ONNX_ATTENTION_MASK]: new ort.Tensor("int64", padded.attentionMask, dims), // [B, L]
    });
    const output = results[ONNX_OUTPUT];
    if (output === undefined) throw new InternalError(`exported encoder returned no "${ONNX_OUTPUT}" output`);
    return output.data as Float32Array; // [B, O]
  }

  /** Featurizes and encodes query texts in chunks and returns [texts.length, O]. */
  encodeTexts(texts: readonly string[], options: EncodeOptions = {}): Promise<Float32Array> {
    return this.encodeInChunks(texts, (text) => this.featurizer.featurizeQuery(text), "encode texts", options);
  }

  /** Featurizes and encodes products in chunks and returns [products.length, O]. */
  encodeProducts(products: readonly Product[], options: EncodeOptions = {}): Promise<Float32Array> {
    return this.encodeInChunks(products, (product) => this.featurizer.featurizeProduct(product), "encode products", options);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  /**
   * Encodes chunks of items whose bags were sorted by length inside a window of chunks, so that each
   * chunk pads to a length close to its own bags, then writes each embedding at its item's row.
   */
  private async encodeInChunks<T>(items: readonly T[], featurize: (item: T) => Int32Array, task: string, options: EncodeOptions): Promise<Float32Array> {
    const chunkSize = options.chunkSize ?? 512;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, received ${chunkSize}`);
    const onProgress = options.onProgress ?? noProgress;
    const dim = this.config.outputDim;
    const output = new Float32Array(items.length * dim); // [items, O]
    const windowSize = chunkSize * 8;
    for (let windowStart = 0; windowStart < items.length; windowStart += windowSize) {
      const windowEnd = Math.min(items.length, windowStart + windowSize);
      const bags: Int32Array[] = [];
      for (let i = windowStart; i < windowEnd; i++) bags.push(featurize(items[i]!));
      const order = bags.map((_, i) => i).sort((a, b) => bags[a]!.length - bags[b]!.length || a - b);
      for (let start = 0; start < order.length; start += chunkSize) {
        const chunk = order.slice(start, start + chunkSize);
        const embeddings = await this.encode(this.featurizer.batch(chunk.map((i) => bags[i]!))); // [chunk, O]
        for (const [row, i] of chunk.entries()) output.set(embeddings.subarray(row * dim, (row + 1) * dim), (windowStart + i) * dim);
        onProgress({ task, done: windowStart + Math.min(order.length, start + chunkSize), total: items.length });
      }
    }
    return output;
  }
}
