/**
 * ONNX model description as plain TypeScript values, and its encoding to ModelProto bytes that ONNX
 * Runtime loads. Field numbers follow onnx/onnx.proto (IR version 9). Only the parts this project
 * writes are modelled: dense tensors (raw little-endian data), graph inputs and outputs with fixed or
 * symbolic dimensions, nodes with attributes, initializers and opset imports.
 */
import { ProtoWriter } from "./protobuf.js";

/** TensorProto.DataType values for the element types the project writes. */
export const OnnxDataType = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float64: 11,
} as const;
export type OnnxElementType = keyof typeof OnnxDataType;

/** A dense constant tensor, such as a trained weight stored as a graph initializer. */
export interface OnnxTensor {
  name: string;
  elementType: OnnxElementType;
  dims: readonly number[];
  /** Row-major values. Its array type must match `elementType`. */
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;
}

/** A fixed size, or a symbolic name such as "batch" for a size chosen at run time. */
export type OnnxDim = number | string;

/** A typed graph input or output. */
export interface OnnxValueInfo {
  name: string;
  elementType: OnnxElementType;
  shape: readonly OnnxDim[];
  docString?: string;
}

export type OnnxAttribute =
  | { type: "float"; value: number }
  | { type: "int"; value: number }
  | { type: "string"; value: string }
  | { type: "tensor"; value: OnnxTensor }
  | { type: "graph"; value: OnnxGraph }
  | { type: "floats"; value: readonly number[] }
  | { type: "ints"; value: readonly number[] }
  | { type: "strings"; value: readonly string[] };

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** Operator domain; empty for the default ai.onnx domain. */
  domain?: string;
  attributes?: Readonly<Record<string, OnnxAttribute>>;
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  initializers?: readonly OnnxTensor[];
  docString?: string;
}

export interface OnnxModel {
  graph: OnnxGraph;
  /** Defaults to 9, which the tests load in ONNX Runtime 1.31. */
  irVersion?: number;
  /** Opset per domain; defaults to the ai.onnx opset 17. */
  opsets?: readonly { domain: string; version: number }[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  /** Free-form string metadata stored in ModelProto.metadata_props. */
  metadata?: Readonly<Record<string, string>>;
}

// AttributeProto.AttributeType values.
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7, strings: 8 } as const;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes a model as ModelProto bytes, ready for `InferenceSession.create(bytes)` or a `.onnx` file. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const writer = new ProtoWriter();
  writer.int(1, model.irVersion ?? 9);
  writer.string(2, model.producerName ?? "mine-refine");
  if (model.producerVersion !== undefined) writer.string(3, model.producerVersion);
  if (model.docString !== undefined) writer.string(6, model.docString);
  writer.message(7, (graph) => writeGraph(graph, model.graph));
  for (const opset of model.opsets ?? [{ domain: "", version: 17 }]) {
    writer.message(8, (entry) => {
      entry.string(1, opset.domain);
      entry.int(2, opset.version);
    });
  }
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    writer.message(14, (entry) => {
      entry.string(1, key);
      entry.string(2, value);
    });
  }
  return writer.finish();
}

function writeGraph(writer: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) writer.message(1, (message) => writeNode(message, node));
  writer.string(2, graph.name);
  for (const tensor of graph.initializers ?? []) writer.message(5, (message) => writeTensor(message, tensor));
  if (graph.docString !== undefined) writer.string(10, graph.docString);
  for (const input of graph.inputs) writer.message(11, (message) => writeValueInfo(message, input));
  for (const output of graph.outputs) writer.message(12, (message) => writeValueInfo(message, output));
}

function writeNode(writer: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) writer.string(1, input);
  for (const output of node.outputs) writer.string(2, output);
  if (node.name !== undefined) writer.string(3, node.name);
  writer.string(4, node.opType);
  for (const [name, attribute] of Object.entries(node.attributes ?? {})) {
    writer.message(5, (message) => writeAttribute(message, name, attribute));
  }
  if (node.domain !== undefined && node.domain !== "") writer.string(7, node.domain);
}

function writeAttribute(writer: ProtoWriter, name: string, attribute: OnnxAttribute): void {
  writer.string(1, name);
  switch (attribute.type) {
    case "float":
      writer.float(2, attribute.value);
      break;
    case "int":
      writer.int(3, attribute.value);
      break;
    case "string":
      writer.string(4, attribute.value);
      break;
    case "tensor":
      writer.message(5, (message) => writeTensor(message, attribute.value));
      break;
    case "graph":
      writer.message(6, (message) => writeGraph(message, attribute.value));
      break;
    case "floats":
      writer.packedFloats(7, attribute.value);
      break;
    case "ints":
      writer.packedInts(8, attribute.value);
      break;
    case "strings":
      for (const value of attribute.value) writer.string(9, value);
      break;
  }
  writer.int(20, ATTRIBUTE_TYPE[attribute.type]);
}

function writeTensor(writer: ProtoWriter, tensor: OnnxTensor): void {
  const count = tensor.dims.reduce((product, dim) => product * dim, 1);
  if (count !== tensor.data.length) {
    throw new RangeError(
      `ONNX tensor "${tensor.name}" has dims [${tensor.dims.join(", ")}] (${count} values) but ${tensor.data.length} values; pass data of the declared shape`,
    );
  }
  writer.packedInts(1, tensor.dims);
  writer.int(2, OnnxDataType[tensor.elementType]);
  writer.string(8, tensor.name);
  writer.bytes(9, littleEndianBytes(tensor.data));
}

function littleEndianBytes(data: OnnxTensor["data"]): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndian || data.BYTES_PER_ELEMENT === 1) return bytes;
  // NOTE: only reached on big-endian hosts, which no test here covers.
  const swapped = new Uint8Array(bytes.length);
  const width = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += width) {
    for (let j = 0; j < width; j++) swapped[i + j] = bytes[i + width - 1 - j]!;
  }
  return swapped;
}

function writeValueInfo(writer: ProtoWriter, info: OnnxValueInfo): void {
  writer.string(1, info.name);
  writer.message(2, (type) => {
    type.message(1, (tensorType) => {
      tensorType.int(1, OnnxDataType[info.elementType]);
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (dimension) => {
            if (typeof dim === "number") dimension.int(1, dim);
            else dimension.string(2, dim);
          });
        }
      });
    });
  });
  if (info.docString !== undefined) writer.string(3, info.docString);
}

