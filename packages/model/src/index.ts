export * from "./featurizer.js";
export * from "./matmul/index.js";
export * from "./onnx/index.js";
