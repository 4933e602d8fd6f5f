/**
 * A tiny, randomly initialised BERT-style model directory that the project writes itself, so tests
 * and demos exercise the pretrained-backbone path without downloading weights. It has the layout
 * @huggingface/transformers 4.3 loads with remote loading turned off: `config.json`,
 * `tokenizer.json`, `tokenizer_config.json` and `onnx/model.onnx`.
 *
 * Shapes used below: B = batch, S = sequence length, V = vocabulary size, H = hidden size,
 * P = max positions. The graph, with x = LayerNorm(word[ids] + type[typeIds] + position[0..S)):
 *
 *   context [B, 1, H]            = Σ_s mask[b, s] x[b, s] / Σ_s mask[b, s]
 *   last_hidden_state [B, S, H]  = tanh(x · tokenWeight + context · contextWeight + bias)
 *
 * The context term stands in for attention: every position sees the masked mean of the sequence, so
 * padding handled wrongly changes the output.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Rng } from "@mine-refine/core";
import { encodeOnnxModel, type OnnxModel } from "../onnx/model-proto.js";
import { TINY_BERT_DEFAULT_WORDS, tinyBertTokenizerConfig, tinyBertTokenizerJson, tinyBertVocabulary } from "./tiny-bert-vocab.js";

export interface TinyBertOptions {
  /** Words and "##" subwords after the special tokens. Defaults to `TINY_BERT_DEFAULT_WORDS`. */
  vocab?: readonly string[];
  /** Defaults to 32. */
  hiddenSize?: number;
  /** Seed of the weight initialisation. Defaults to 0. */
  seed?: number;
  /** Longest token sequence the position table covers, [CLS] and [SEP] included. Defaults to 64. */
  maxPositions?: number;
}

export interface TinyBertWeights {
  hiddenSize: number;
  wordEmbeddings: Float32Array; // [V, H]
  tokenTypeEmbeddings: Float32Array; // [2, H]
  positionEmbeddings: Float32Array; // [P, H]
  layerNormScale: Float32Array; // [H]
  layerNormBias: Float32Array; // [H]
  tokenWeight: Float32Array; // [H, H]
  contextWeight: Float32Array; // [H, H]
  bias: Float32Array; // [H]
}

export interface TinyBertModel {
  dir: string;
  /** Every token by id, special tokens first. */
  vocabulary: string[];
  weights: TinyBertWeights;
}

/** Epsilon of the LayerNormalization node. */
export const TINY_BERT_LAYER_NORM_EPSILON = 1e-5;

/** Writes a tiny BERT-style model directory to `dir` (created if missing) and returns its vocabulary and weights. */
export async function generateTinyBertModel(dir: string, options: TinyBertOptions = {}): Promise<TinyBertModel> {
  const hiddenSize = options.hiddenSize ?? 32;
  const maxPositions = options.maxPositions ?? 64;
  for (const [name, value] of [
    ["hiddenSize", hiddenSize],
    ["maxPositions", maxPositions],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`generateTinyBertModel: ${name} must be a positive integer, received ${value}`);
  }
  const vocabulary = tinyBertVocabulary(options.vocab ?? TINY_BERT_DEFAULT_WORDS);
  const weights = initializeTinyBert(vocabulary.length, hiddenSize, maxPositions, options.seed ?? 0);

  await mkdir(join(dir, "onnx"), { recursive: true });
  const config = {
    model_type: "bert",
    architectures: ["BertModel"],
    vocab_size: vocabulary.length,
    hidden_size: hiddenSize,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: hiddenSize,
    max_position_embeddings: maxPositions,
    type_vocab_size: 2,
    pad_token_id: 0,
    layer_norm_eps: TINY_BERT_LAYER_NORM_EPSILON,
  };
  await writeFile(join(dir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
  await writeFile(join(dir, "tokenizer.json"), `${JSON.stringify(tinyBertTokenizerJson(vocabulary, maxPositions))}\n`);
  await writeFile(join(dir, "tokenizer_config.json"), `${JSON.stringify(tinyBertTokenizerConfig(maxPositions), null, 2)}\n`);
  await writeFile(join(dir, "onnx", "model.onnx"), encodeOnnxModel(tinyBertGraph(weights, vocabulary.length, maxPositions)));
  return { dir, vocabulary, weights };
}

function initializeTinyBert(vocabularySize: number, hiddenSize: number, maxPositions: number, seed: number): TinyBertWeights {
  const rng = new Rng(seed);
  const normal = (label: string, length: number, std: number, mean = 0): Float32Array => {
    const stream = rng.fork(label);
    const values = new Float32Array(length);
    for (let i = 0; i < length; i++) values[i] = mean + stream.normal() * std;
    return values;
  };
  const matrixStd = 1 / Math.sqrt(hiddenSize);
  return {
    hiddenSize,
    wordEmbeddings: normal("word", vocabularySize * hiddenSize, 1),
    tokenTypeEmbeddings: normal("type", 2 * hiddenSize, 0.1),
    positionEmbeddings: normal("position", maxPositions * hiddenSize, 0.1),
    layerNormScale: normal("layer-norm-scale", hiddenSize, 0.1, 1),
    layerNormBias: normal("layer-norm-bias", hiddenSize, 0.1),
    tokenWeight: normal("token-weight", hiddenSize * hiddenSize, matrixStd),
    contextWeight: normal("context-weight", hiddenSize * hiddenSize, matrixStd),
    bias: normal("bias", hiddenSize, 0.1),
  };
}

function tinyBertGraph(weights: TinyBertWeights, vocabularySize: number, maxPositions: number): OnnxModel {
  const H = weights.hiddenSize;
  const float = (name: string, dims: number[], data: Float32Array) => ({ name, elementType: "float32" as const, dims, data });
  const int64 = (name: string, dims: number[], values: bigint[]) => ({ name, elementType: "int64" as const, dims, data: new BigInt64Array(values) });
  const ids = (name: string) => ({ name, elementType: "int64" as const, shape: ["batch", "sequence"] });
  return {
    graph: {
      name: "tiny_bert",
      inputs: [ids("input_ids"), ids("attention_mask"), ids("token_type_ids")],
      outputs: [{ name: "last_hidden_state", elementType: "float32", shape: ["batch", "sequence", H] }],
      initializers: [
        float("word_embeddings", [vocabularySize, H], weights.wordEmbeddings),
        float("token_type_embeddings", [2, H], weights.tokenTypeEmbeddings),
        float("position_embeddings", [maxPositions, H], weights.positionEmbeddings),
        float("layer_norm_scale", [H], weights.layerNormScale),
        float("layer_norm_bias", [H], weights.layerNormBias),
        float("token_weight", [H, H], weights.tokenWeight),
        float("context_weight", [H, H], weights.contextWeight),
        float("bias", [H], weights.bias),
        int64("zero", [], [0n]),
        int64("one", [], [1n]),
        int64("axis_sequence", [1], [1n]),
        int64("axis_last", [1], [2n]),
      ],
      nodes: [
        { opType: "Gather", inputs: ["word_embeddings", "input_ids"], outputs: ["word_vectors"] }, // [B, S, H]
        { opType: "Gather", inputs: ["token_type_embeddings", "token_type_ids"], outputs: ["type_vectors"] }, // [B, S, H]
        { opType: "Shape", inputs: ["input_ids"], outputs: ["input_shape"] }, // [2]
        { opType: "Gather", inputs: ["input_shape", "one"], outputs: ["sequence_length"], attributes: { axis: { type: "int", value: 0 } } },
        { opType: "Range", inputs: ["zero", "sequence_length", "one"], outputs: ["positions"] }, // [S]
        { opType: "Gather", inputs: ["position_embeddings", "positions"], outputs: ["position_vectors"] }, // [S, H]
        { opType: "Add", inputs: ["word_vectors", "type_vectors"], outputs: ["word_and_type"] },
        { opType: "Add", inputs: ["word_and_type", "position_vectors"], outputs: ["embedded"] }, // [B, S, H]
        {
          opType: "LayerNormalization",
          inputs: ["embedded", "layer_norm_scale", "layer_norm_bias"],
          outputs: ["normalized"],
          attributes: { axis: { type: "int", value: -1 }, epsilon: { type: "float", value: TINY_BERT_LAYER_NORM_EPSILON } },
        },
        { opType: "Cast", inputs: ["attention_mask"], outputs: ["mask_float"], attributes: { to: { type: "int", value: 1 } } }, // [B, S]
        { opType: "Unsqueeze", inputs: ["mask_float", "axis_last"], outputs: ["mask"] }, // [B, S, 1]
        { opType: "Mul", inputs: ["normalized", "mask"], outputs: ["masked"] },
        { opType: "ReduceSum", inputs: ["masked", "axis_sequence"], outputs: ["masked_sum"], attributes: { keepdims: { type: "int", value: 1 } } }, // [B, 1, H]
        { opType: "ReduceSum", inputs: ["mask", "axis_sequence"], outputs: ["token_count"], attributes: { keepdims: { type: "int", value: 1 } } }, // [B, 1, 1]
        { opType: "Div", inputs: ["masked_sum", "token_count"], outputs: ["context"] }, // [B, 1, H]
        { opType: "MatMul", inputs: ["normalized", "token_weight"], outputs: ["token_part"] }, // [B, S, H]
        { opType: "MatMul", inputs: ["context", "context_weight"], outputs: ["context_part"] }, // [B, 1, H]
        { opType: "Add", inputs: ["token_part", "context_part"], outputs: ["mixed"] },
        { opType: "Add", inputs: ["mixed", "bias"], outputs: ["pre_activation"] },
        { opType: "Tanh", inputs: ["pre_activation"], outputs: ["last_hidden_state"] },
      ],
    },
  };
}
