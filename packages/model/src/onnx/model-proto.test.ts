import ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import { encodeOnnxModel } from "./model-proto.js";

const sessions: ort.InferenceSession[] = [];

afterAll(async () => {
  for (const session of sessions) await session.release();
});

async function load(bytes: Uint8Array): Promise<ort.InferenceSession> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  sessions.push(session);
  return session;
}

describe("encodeOnnxModel", () => {
  it("initializer and attribute reach ONNX Runtime", async () => {
    // Y = LeakyRelu(X + W, alpha = 0.5), with W a [2] initializer and a symbolic batch dimension.
    const bytes = encodeOnnxModel({
      graph: {
        name: "add_leaky",
        nodes: [
          { opType: "Add", inputs: ["X", "W"], outputs: ["S"] },
          { opType: "LeakyRelu", inputs: ["S"], outputs: ["Y"], attributes: { alpha: { type: "float", value: 0.5 } } },
        ],
        inputs: [{ name: "X", elementType: "float32", shape: ["batch", 2] }],
        outputs: [{ name: "Y", elementType: "float32", shape: ["batch", 2] }],
        initializers: [{ name: "W", elementType: "float32", dims: [2], data: new Float32Array([1, -10]) }],
      },
    });
    const session = await load(bytes);
    const x = new ort.Tensor("float32", new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    const y = (await session.run({ X: x })).Y!;
    expect(y.dims).toEqual([3, 2]);
    // Second column: x - 10 is negative, so LeakyRelu halves it.
    expect([...(y.data as Float32Array)]).toEqual([2, -4, 4, -3, 6, -2]);
  });

  it("ints attribute and int64 initializer", async () => {
    // Reshape by an int64 shape initializer, then Transpose with perm = [1, 0].
    const bytes = encodeOnnxModel({
      graph: {
        name: "reshape_transpose",
        nodes: [
          { opType: "Reshape", inputs: ["X", "shape"], outputs: ["R"] },
          { opType: "Transpose", inputs: ["R"], outputs: ["Y"], attributes: { perm: { type: "ints", value: [1, 0] } } },
        ],
        inputs: [{ name: "X", elementType: "float32", shape: [6] }],
        outputs: [{ name: "Y", elementType: "float32", shape: [3, 2] }],
        initializers: [{ name: "shape", elementType: "int64", dims: [2], data: new BigInt64Array([2n, 3n]) }],
      },
    });
    const session = await load(bytes);
    const y = (await session.run({ X: new ort.Tensor("float32", new Float32Array([1, 2, 3, 4, 5, 6]), [6]) })).Y!;
    expect([...(y.data as Float32Array)]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it("model with metadata loads", async () => {
    const bytes = encodeOnnxModel({
      graph: {
        name: "identity",
        nodes: [{ opType: "Identity", inputs: ["X"], outputs: ["Y"] }],
        inputs: [{ name: "X", elementType: "float32", shape: ["n"] }],
        outputs: [{ name: "Y", elementType: "float32", shape: ["n"] }],
      },
      metadata: { outputDim: "3" },
    });
    const session = await load(bytes);
    expect(session.inputNames).toEqual(["X"]);
    expect(session.outputNames).toEqual(["Y"]);
  });

  it("tensor data length checked", () => {
    expect(() =>
      encodeOnnxModel({
        graph: {
          name: "bad",
          nodes: [],
          inputs: [],
          outputs: [],
          initializers: [{ name: "W", elementType: "float32", dims: [2, 2], data: new Float32Array(3) }],
        },
      }),
    ).toThrow(/"W" has dims \[2, 2\] \(4 values\) but 3 values/);
  });
});
