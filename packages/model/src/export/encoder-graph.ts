/**
 * The ONNX graph of a trained tower. Shapes used below: B = texts in a batch, L = the longest bag in
 * the batch (shorter bags are padded), E = embeddingDim, H_i = hiddenDims[i], O = outputDim.
 *
 *   input_ids [B, L] int64, attention_mask [B, L] int64 (1 = feature id, 0 = padding)
 *   Gather(table) [B, L, E] · mask → ReduceSum over L [B, E] → / n or / sqrt(n), n = max(1, Σ mask)
 *   → (MatMul → Add → activation) per hidden layer [B, H_i] → MatMul → Add [B, O]
 *   → x / max(‖x‖, ε) [B, O] = embeddings
 *
 * The padded layout was chosen over a flat `ids [nnz]` + `offsets [B + 1]` pair because opset 17 has
 * no segment sum. Pooling ragged bags would need ScatterElements with a reduction, while padding needs
 * only a mask and a sum and uses the input names of transformer exports. The cost is B × L × E floats
 * in the Gather output, so one very long bag pads every other bag of its batch to its length.
 */
import type { EncoderConfig, TwoTowerEncoder } from "../encoder.js";
import { L2_EPSILON } from "../layers/l2-normalize.js";
import type { OnnxModel, OnnxNode, OnnxTensor } from "../onnx/model-proto.js";

export const ONNX_INPUT_IDS = "input_ids";
export const ONNX_ATTENTION_MASK = "attention_mask";
export const ONNX_OUTPUT = "embeddings";

/** The ai.onnx opset the graph uses. Every operator in it exists unchanged from opset 13 to 17. */
export const ENCODER_ONNX_OPSET = 17;

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

function scalar(name: string, value: number): OnnxTensor {
  return { name, elementType: "float32", dims: [], data: Float32Array.of(value) };
}

/** Appends the nodes of activation(x) and returns the name of its output. */
function activationNodes(nodes: OnnxNode[], activation: EncoderConfig["activation"], input: string, prefix: string): string {
  if (activation === "relu") {
    nodes.push({ opType: "Relu", inputs: [input], outputs: [`${prefix}.relu`] });
    return `${prefix}.relu`;
  }
  // gelu(x) = 0.5 x (1 + tanh(c (x + k x³))), the tanh form the TypeScript layer computes.
  const p = prefix;
  nodes.push(
    { opType: "Mul", inputs: [input, input], outputs: [`${p}.x2`] },
    { opType: "Mul", inputs: [`${p}.x2`, input], outputs: [`${p}.x3`] },
    { opType: "Mul", inputs: [`${p}.x3`, "const.gelu_k"], outputs: [`${p}.kx3`] },
    { opType: "Add", inputs: [input, `${p}.kx3`], outputs: [`${p}.inner`] },
    { opType: "Mul", inputs: [`${p}.inner`, "const.gelu_c"], outputs: [`${p}.u`] },
    { opType: "Tanh", inputs: [`${p}.u`], outputs: [`${p}.tanh`] },
    { opType: "Add", inputs: [`${p}.tanh`, "const.one"], outputs: [`${p}.one_plus`] },
    { opType: "Mul", inputs: [input, `${p}.one_plus`], outputs: [`${p}.x_one_plus`] },
    { opType: "Mul", inputs: [`${p}.x_one_plus`, "const.half"], outputs: [`${p}.gelu`] },
  );
  return `${p}.gelu`;
}

/**
 * Builds the ONNX model of `encoder` with every weight as an initializer. The initializers share the
 * encoder's live buffers, so encode the model before the weights change.
 */
export function buildEncoderOnnxModel(encoder: TwoTowerEncoder, metadata: Readonly<Record<string, string>>): OnnxModel {
  const { config } = encoder;
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [
    { name: "embedding.weight", elementType: "float32", dims: [encoder.embedding.buckets, encoder.embedding.dim], data: encoder.embedding.table },
    { name: "const.axis_length", elementType: "int64", dims: [1], data: BigInt64Array.of(1n) },
    { name: "const.axis_last", elementType: "int64", dims: [1], data: BigInt64Array.of(-1n) },
    scalar("const.one", 1),
    scalar("const.epsilon", L2_EPSILON),
  ];
  // ONNX Runtime warns about unused initializers, so the GELU constants are added only when used.
  if (config.activation === "gelu" && config.hiddenDims.length > 0) {
    initializers.push(scalar("const.half", 0.5), scalar("const.gelu_c", GELU_C), scalar("const.gelu_k", GELU_K));
  }

  // Embedding bag: masked sum over the padded length, then the pooling divisor.
  nodes.push(
    { opType: "Gather", inputs: ["embedding.weight", ONNX_INPUT_IDS], outputs: ["bag.rows"], attributes: { axis: { type: "int", value: 0 } } }, // [B, L, E]
    { opType: "Cast", inputs: [ONNX_ATTENTION_MASK], outputs: ["bag.mask"], attributes: { to: { type: "int", value: 1 } } }, // [B, L] float32
    { opType: "Unsqueeze", inputs: ["bag.mask", "const.axis_last"], outputs: ["bag.mask3"] }, // [B, L, 1]
    { opType: "Mul", inputs: ["bag.rows", "bag.mask3"], outputs: ["bag.masked"] },
    { opType: "ReduceSum", inputs: ["bag.masked", "const.axis_length"], outputs: ["bag.sum"], attributes: { keepdims: { type: "int", value: 0 } } }, // [B, E]
    { opType: "ReduceSum", inputs: ["bag.mask", "const.axis_length"], outputs: ["bag.count"], attributes: { keepdims: { type: "int", value: 1 } } }, // [B, 1]
    // An all-padding row has count 0, and clamping it to 1 keeps its sum of zeros at zero instead of NaN.
    { opType: "Max", inputs: ["bag.count", "const.one"], outputs: ["bag.count_clamped"] },
  );
  let divisor = "bag.count_clamped";
  if (config.pooling === "sqrt") {
    nodes.push({ opType: "Sqrt", inputs: ["bag.count_clamped"], outputs: ["bag.sqrt_count"] });
    divisor = "bag.sqrt_count";
  }
  nodes.push({ opType: "Div", inputs: ["bag.sum", divisor], outputs: ["bag.pooled"] }); // [B, E]

  let hidden = "bag.pooled";
  encoder.linears.forEach((linear, i) => {
    const prefix = `linears.${i}`;
    initializers.push(
      { name: `${prefix}.weight`, elementType: "float32", dims: [linear.inputDim, linear.outputDim], data: linear.weight },
      { name: `${prefix}.bias`, elementType: "float32", dims: [linear.outputDim], data: linear.bias },
    );
    nodes.push(
      { opType: "MatMul", inputs: [hidden, `${prefix}.weight`], outputs: [`${prefix}.product`] },
      { opType: "Add", inputs: [`${prefix}.product`, `${prefix}.bias`], outputs: [`${prefix}.output`] },
    );
    hidden = `${prefix}.output`;
    if (i < encoder.linears.length - 1) hidden = activationNodes(nodes, config.activation, hidden, `${prefix}.activation`);
  });

  // L2 normalisation with the clamp of l2NormalizeForward.
  nodes.push(
    { opType: "ReduceSumSquare", inputs: [hidden], outputs: ["norm.squared"], attributes: { axes: { type: "ints", value: [-1] }, keepdims: { type: "int", value: 1 } } }, // [B, 1]
    { opType: "Sqrt", inputs: ["norm.squared"], outputs: ["norm.value"] },
    { opType: "Max", inputs: ["norm.value", "const.epsilon"], outputs: ["norm.clamped"] },
    { opType: "Div", inputs: [hidden, "norm.clamped"], outputs: [ONNX_OUTPUT] }, // [B, O]
  );

  return {
    opsets: [{ domain: "", version: ENCODER_ONNX_OPSET }],
    docString: "mine-refine two-tower encoder: hashed n-gram embedding bag, MLP, L2 normalisation",
    metadata,
    graph: {
      name: "two_tower_encoder",
      nodes,
      initializers,
      inputs: [
        { name: ONNX_INPUT_IDS, elementType: "int64", shape: ["batch", "length"], docString: "hashed feature ids of each text, padded to the longest bag" },
        { name: ONNX_ATTENTION_MASK, elementType: "int64", shape: ["batch", "length"], docString: "1 for a feature id, 0 for padding" },
      ],
      outputs: [{ name: ONNX_OUTPUT, elementType: "float32", shape: ["batch", config.outputDim], docString: "unit-length embeddings" }],
    },
  };
}
