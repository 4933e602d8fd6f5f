/** An independent float64 TypeScript forward pass of the tiny generated BERT-style model, for tests. */
import { TINY_BERT_LAYER_NORM_EPSILON, type TinyBertWeights } from "../backbone/tiny-bert.js";

/**
 * Computes the tiny model's `last_hidden_state` [B, S, H] in float64 TypeScript from its weights,
 * an independent check of the ONNX graph. `inputIds`, `attentionMask` and `tokenTypeIds` are [B, S].
 */
export function tinyBertReference(weights: TinyBertWeights, inputIds: ArrayLike<number>, attentionMask: ArrayLike<number>, tokenTypeIds: ArrayLike<number>, batch: number, sequence: number): Float64Array {
  const H = weights.hiddenSize;
  const normalized = new Float64Array(batch * sequence * H); // [B, S, H]
  for (let t = 0; t < batch * sequence; t++) {
    const position = t % sequence;
    const row = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      row[j] = weights.wordEmbeddings[inputIds[t]! * H + j]! + weights.tokenTypeEmbeddings[tokenTypeIds[t]! * H + j]! + weights.positionEmbeddings[position * H + j]!;
    }
    let mean = 0;
    for (let j = 0; j < H; j++) mean += row[j]! / H;
    let variance = 0;
    for (let j = 0; j < H; j++) variance += (row[j]! - mean) ** 2 / H;
    const inverseStd = 1 / Math.sqrt(variance + TINY_BERT_LAYER_NORM_EPSILON);
    for (let j = 0; j < H; j++) normalized[t * H + j] = (row[j]! - mean) * inverseStd * weights.layerNormScale[j]! + weights.layerNormBias[j]!;
  }

  const output = new Float64Array(batch * sequence * H); // [B, S, H]
  for (let b = 0; b < batch; b++) {
    const context = new Float64Array(H); // [H]
    let count = 0;
    for (let s = 0; s < sequence; s++) {
      const m = attentionMask[b * sequence + s]!;
      count += m;
      for (let j = 0; j < H; j++) context[j]! += m * normalized[(b * sequence + s) * H + j]!;
    }
    for (let j = 0; j < H; j++) context[j]! /= count;
    for (let s = 0; s < sequence; s++) {
      const t = b * sequence + s;
      for (let j = 0; j < H; j++) {
        let sum = weights.bias[j]!;
        for (let i = 0; i < H; i++) sum += normalized[t * H + i]! * weights.tokenWeight[i * H + j]! + context[i]! * weights.contextWeight[i * H + j]!;
        output[t * H + j] = Math.tanh(sum);
      }
    }
  }
  return output;
}
