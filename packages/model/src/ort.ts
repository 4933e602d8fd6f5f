/**
 * The ONNX Runtime parts of the package, behind their own subpath (`@mine-refine/model/ort`) so that
 * code which only featurizes or reads checkpoints does not load the native module.
 */
export { OrtMatmul, type OrtMatmulOptions, gemmModelBytes } from "./matmul/ort-matmul.js";
export { OnnxEncoder, type OnnxEncoderOptions } from "./export/onnx-encoder.js";
