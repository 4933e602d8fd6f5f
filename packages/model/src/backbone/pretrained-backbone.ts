/**
 * A frozen pretrained transformer loaded from a local model directory through
 * @huggingface/transformers, with remote loading turned off, and attention-masked mean pooling.
 *
 * Shapes used below: n = texts, B = texts in one batch, S = tokens of the longest text in the
 * batch (at most maxLength), H = hidden size.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { AutoModel, AutoTokenizer, LogLevel, env, type PreTrainedModel, type PreTrainedTokenizer } from "@huggingface/transformers";
import { InputError, noProgress, type ProgressCallback } from "@mine-refine/core";

/** The files a model directory must contain, relative to it. */
export const BACKBONE_REQUIRED_FILES = ["config.json", "tokenizer.json", "onnx/model.onnx"] as const;
/** Files that change the embeddings when present, hashed together with the required ones. */
const BACKBONE_OPTIONAL_FILES = ["tokenizer_config.json"] as const;

/** A text encoder that returns one vector per text: the interface the backbone head and the cache build on. */
export interface TextEmbedder {
  /** Width of each vector. */
  readonly dim: number;
  /** Identifies the model and every setting that changes its vectors; the embedding cache is keyed by it. */
  readonly key: string;
  /** Returns [texts.length, dim] vectors, row i for texts[i]. */
  embed(texts: readonly string[], onProgress?: ProgressCallback): Promise<Float32Array>;
}

export interface PretrainedBackboneOptions {
  /**
   * Tokens per text, [CLS] and [SEP] included; longer texts are truncated. Defaults to 128, or to the
   * model's `max_position_embeddings` when that is smaller, which it must not exceed. Attention cost
   * grows with the square of it.
   */
  maxLength?: number;
  /** Texts per ONNX Runtime call. Defaults to 32; larger batches use more memory for padded tokens. */
  batchSize?: number;
  /** ONNX Runtime intra-op threads. Defaults to 2. */
  threads?: number;
}

export class PretrainedBackbone implements TextEmbedder {
  /** Absolute path of the model directory. */
  readonly dir: string;
  /** SHA-256 of the model's files (see `hashModelDirectory`). */
  readonly modelHash: string;
  readonly dim: number;
  readonly key: string;
  readonly maxLength: number;
  readonly batchSize: number;
  private readonly tokenizer: PreTrainedTokenizer;
  private readonly model: PreTrainedModel;
  /** Id of the special token that closes a sequence, or -1 when the template has none; found on first use. */
  private endTokenId: number | undefined;

  private constructor(dir: string, modelHash: string, dim: number, maxLength: number, batchSize: number, tokenizer: PreTrainedTokenizer, model: PreTrainedModel) {
    this.dir = dir;
    this.modelHash = modelHash;
    this.dim = dim;
    this.maxLength = maxLength;
    this.batchSize = batchSize;
    this.key = createHash("sha256").update(`${modelHash}\nmaxLength=${maxLength}\npooling=mean`).digest("hex");
    this.tokenizer = tokenizer;
    this.model = model;
  }

  /**
   * Loads the tokenizer and the ONNX model from `dir`. Sets the global transformers.js `env` to local
   * files only (no remote models, no file cache), which affects every other user of the library in
   * this process. A missing file raises an InputError that names it before transformers.js runs.
   */
  static async load(dir: string, options: PretrainedBackboneOptions = {}): Promise<PretrainedBackbone> {
    const root = resolve(dir);
    await checkModelDirectory(root);
    const config = await readModelConfig(root);
    const maxPositions = typeof config.max_position_embeddings === "number" ? config.max_position_embeddings : undefined;
    const maxLength = options.maxLength ?? Math.min(128, maxPositions ?? 128);
    const batchSize = options.batchSize ?? 32;
    const threads = options.threads ?? 2;
    for (const [name, value] of [
      ["maxLength", maxLength],
      ["batchSize", batchSize],
      ["threads", threads],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`PretrainedBackbone.load: ${name} must be a positive integer, received ${value}`);
    }
    const hiddenSize = config.hidden_size;
    if (maxPositions !== undefined && maxLength > maxPositions) {
      throw new InputError(
        "invalid_backbone_option",
        { file: join(root, "config.json"), column: "max_position_embeddings" },
        `maxLength ${maxLength} exceeds the model's max_position_embeddings ${maxPositions}`,
        `Set maxLength to at most ${maxPositions}.`,
      );
    }

    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFSCache = false;
    env.useBrowserCache = false;
    env.logLevel = LogLevel.ERROR;
    // transformers.js joins a valid model id to localModelPath; the parent folder plus the folder name
    // is that form. A folder name that is not a valid id (spaces, "--") is used as a plain path instead.
    env.localModelPath = `${dirname(root)}/`;
    const modelId = isPlainModelId(basename(root)) ? basename(root) : root;
    const loadOptions = { local_files_only: true } as const;
    const tokenizer = await AutoTokenizer.from_pretrained(modelId, loadOptions);
    const model = await AutoModel.from_pretrained(modelId, {
      ...loadOptions,
      dtype: "fp32",
      device: "cpu",
      session_options: { intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 },
    });
    const session = (model.sessions as Record<string, { inputNames?: string[]; outputNames?: string[] }>).model;
    if (session?.outputNames !== undefined && !session.outputNames.includes("last_hidden_state")) {
      await model.dispose();
      throw new InputError(
        "invalid_backbone",
        { file: join(root, "onnx", "model.onnx") },
        `the graph's outputs are [${session.outputNames.join(", ")}], expected one named last_hidden_state [batch, sequence, hidden]`,
        "Export the model's base transformer (feature-extraction task) to ONNX.",
      );
    }
    return new PretrainedBackbone(root, await hashModelDirectory(root), hiddenSize, maxLength, batchSize, tokenizer, model);
  }

  /** Returns [texts.length, H] attention-masked means of `last_hidden_state`, in batches of `batchSize`. */
  async embed(texts: readonly string[], onProgress: ProgressCallback = noProgress): Promise<Float32Array> {
    const H = this.dim;
    const output = new Float32Array(texts.length * H); // [n, H]
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      const inputs = this.tokenizer(batch as string[], { padding: true, truncation: true, max_length: this.maxLength });
      this.restoreEndTokens(batch, inputs as { input_ids: { data: BigInt64Array; dims: number[] } });
      const result = (await this.model(inputs)) as Record<string, { data: Float32Array; dims: number[] } | undefined>;
      const hidden = result.last_hidden_state;
      if (hidden === undefined) throw new InputError("invalid_backbone", { file: join(this.dir, "onnx", "model.onnx") }, "the model returned no last_hidden_state", "Export the model's base transformer to ONNX.");
      const [rows, sequence, width] = hidden.dims as [number, number, number];
      if (rows !== batch.length || width !== H) {
        throw new InputError(
          "invalid_backbone",
          { file: join(this.dir, "onnx", "model.onnx") },
          `last_hidden_state has shape [${hidden.dims.join(", ")}], expected [${batch.length}, sequence, ${H}] (hidden_size in config.json)`,
          "Check that config.json belongs to this ONNX export.",
        );
      }
      const mask = (inputs as { attention_mask: { data: BigInt64Array } }).attention_mask.data; // [B, S]
      meanPoolInto(hidden.data, mask, rows, sequence, H, output.subarray(start * H, (start + rows) * H));
      onProgress({ task: "embed texts with the backbone", done: start + rows, total: texts.length });
    }
    return output;
  }

  /**
   * Puts the closing special token ([SEP] for BERT, </s> for XLM-R) back at the end of each truncated
   * row. transformers.js 4.3.2 truncates after adding the special tokens, so it cuts that token off.
   * Hugging Face tokenizers in Python keep it, and the model was trained with it in place.
   */
  private restoreEndTokens(batch: readonly string[], inputs: { input_ids: { data: BigInt64Array; dims: number[] } }): void {
    const sequence = inputs.input_ids.dims[1]!;
    if (sequence < this.maxLength) return;
    this.endTokenId ??= this.tokenizer.encode("").at(-1) ?? -1;
    if (this.endTokenId < 0 || this.tokenizer.encode("").length < 2) return;
    for (const [b, text] of batch.entries()) {
      if (this.tokenizer.encode(text).length > this.maxLength) inputs.input_ids.data[b * sequence + sequence - 1] = BigInt(this.endTokenId);
    }
  }

  /** Returns the tokens the tokenizer produces for `text`, [CLS] and [SEP] included, before truncation. */
  tokenize(text: string): string[] {
    return this.tokenizer.tokenize(text, { add_special_tokens: true });
  }

  /** Releases the ONNX Runtime session. The backbone must not be used afterwards. */
  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

/** Writes the mean of each row's unmasked positions of `hidden` [B, S, H] into `output` [B, H]. */
export function meanPoolInto(hidden: Float32Array, mask: ArrayLike<bigint | number>, rows: number, sequence: number, width: number, output: Float32Array): void {
  for (let b = 0; b < rows; b++) {
    let count = 0;
    const target = output.subarray(b * width, (b + 1) * width);
    target.fill(0);
    for (let s = 0; s < sequence; s++) {
      if (Number(mask[b * sequence + s]) === 0) continue;
      count++;
      const offset = (b * sequence + s) * width;
      for (let j = 0; j < width; j++) target[j]! += hidden[offset + j]!;
    }
    // A row always has at least [CLS] and [SEP] unmasked; the guard only keeps an empty row at zero.
    if (count > 0) for (let j = 0; j < width; j++) target[j]! /= count;
  }
}

/** Throws an InputError naming the first required file missing from a model directory. */
export async function checkModelDirectory(dir: string): Promise<void> {
  for (const file of BACKBONE_REQUIRED_FILES) {
    const path = join(dir, file);
    try {
      await access(path);
    } catch {
      throw new InputError(
        "backbone_file_missing",
        { file: path },
        `the backbone model directory has no ${file}`,
        `A model directory needs ${BACKBONE_REQUIRED_FILES.join(", ")}. Export the model to ONNX with inputs input_ids and attention_mask and output last_hidden_state, and copy its tokenizer.json and config.json next to it.`,
      );
    }
  }
}

interface ModelConfig {
  model_type: string;
  hidden_size: number;
  max_position_embeddings?: number;
}

async function readModelConfig(dir: string): Promise<ModelConfig> {
  const path = join(dir, "config.json");
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new InputError("invalid_backbone", { file: path }, `invalid JSON (${(error as Error).message})`, "Restore the model's config.json.", { cause: error });
  }
  if (typeof config.model_type !== "string") {
    throw new InputError("invalid_backbone", { file: path, column: "model_type" }, `model_type is ${JSON.stringify(config.model_type)}, expected a string such as "bert"`, "Restore the model's config.json.");
  }
  if (typeof config.hidden_size !== "number" || !Number.isInteger(config.hidden_size) || config.hidden_size < 1) {
    throw new InputError("invalid_backbone", { file: path, column: "hidden_size" }, `hidden_size is ${JSON.stringify(config.hidden_size)}, expected a positive integer`, "Restore the model's config.json.");
  }
  return config as unknown as ModelConfig;
}

/** Checks whether transformers.js 4.3 treats `name` as a model id, which it resolves under `env.localModelPath`. */
function isPlainModelId(name: string): boolean {
  return /^[\w.-]{1,96}$/.test(name) && /^\w/.test(name) && /\w$/.test(name) && !name.includes("..") && !name.includes("--");
}

/**
 * Returns the SHA-256 over the name, byte length and bytes of each file that decides the embeddings:
 * `config.json`, `tokenizer.json`, `onnx/model.onnx` and, when present, `tokenizer_config.json`.
 * It reads the whole ONNX file on every load.
 */
export async function hashModelDirectory(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const files: string[] = [...BACKBONE_REQUIRED_FILES];
  for (const file of BACKBONE_OPTIONAL_FILES) {
    try {
      await access(join(dir, file));
      files.push(file);
    } catch {
      // An absent optional file contributes nothing.
    }
  }
  for (const file of files) {
    hash.update(`${file}\n`);
    let length = 0;
    for await (const chunk of createReadStream(join(dir, file))) {
      hash.update(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
    hash.update(`\n${length}\n`);
  }
  return hash.digest("hex");
}
