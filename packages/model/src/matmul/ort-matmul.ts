/**
 * Shapes as in `backend.ts`: op(A) [m, k], op(B) [k, n], C [m, n], row-major.
 */
import { InternalError } from "@mine-refine/core";
import ort from "onnxruntime-node";
import { encodeOnnxModel } from "../onnx/model-proto.js";
import { type MatmulBackend, checkGemmShapes } from "./backend.js";

export interface OrtMatmulOptions {
  /**
   * Threads ONNX Runtime uses inside one product. Defaults to 2. Results are bitwise repeatable for
   * a fixed thread count on one machine, but may differ in the last bits between thread counts.
   */
  intraOpNumThreads?: number;
  /**
   * Lets ONNX Runtime's pool threads busy-wait for the next product after one finishes. Off by
   * default, because the TypeScript work between products (embedding bags, optimizer) needs the same
   * cores and spinning threads take CPU time from it.
   */
  allowSpinning?: boolean;
}

/**
 * Matrix products through ONNX Runtime (CPU). One session per transpose case is built on first use
 * from a one-node Gemm graph with symbolic dimensions, and reused for every later call.
 */
export class OrtMatmul implements MatmulBackend {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();
  private readonly intraOpNumThreads: number;
  private readonly allowSpinning: boolean;

  constructor(options: OrtMatmulOptions = {}) {
    const threads = options.intraOpNumThreads ?? 2;
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`OrtMatmul: intraOpNumThreads must be a positive integer, received ${threads}`);
    }
    this.intraOpNumThreads = threads;
    this.allowSpinning = options.allowSpinning ?? false;
  }

  async gemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Promise<Float32Array> {
    checkGemmShapes(a, b, m, k, n, transA, transB);
    if (m === 0 || n === 0) return new Float32Array(m * n);
    if (k === 0) return new Float32Array(m * n);
    const session = await this.session(transA, transB);
    const feeds = {
      A: new ort.Tensor("float32", a, transA ? [k, m] : [m, k]),
      B: new ort.Tensor("float32", b, transB ? [n, k] : [k, n]),
    };
    const results = await session.run(feeds);
    const output = results.Y;
    if (output === undefined) throw new InternalError("ONNX Runtime Gemm session returned no output Y");
    return output.data as Float32Array;
  }

  async dispose(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of sessions) await (await session).release();
  }

  private session(transA: boolean, transB: boolean): Promise<ort.InferenceSession> {
    const key = `${transA ? "T" : "N"}${transB ? "T" : "N"}`;
    let session = this.sessions.get(key);
    if (session === undefined) {
      session = ort.InferenceSession.create(gemmModelBytes(transA, transB), {
        intraOpNumThreads: this.intraOpNumThreads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
        extra: { session: { intra_op: { allow_spinning: this.allowSpinning ? "1" : "0" } } },
      });
      this.sessions.set(key, session);
    }
    return session;
  }
}

/** Builds a one-node Gemm model: Y [m, n] = op(A) · op(B), with m, k and n chosen at run time. */
export function gemmModelBytes(transA: boolean, transB: boolean): Uint8Array {
  return encodeOnnxModel({
    graph: {
      name: `gemm_${transA ? "t" : "n"}${transB ? "t" : "n"}`,
      nodes: [
        {
          opType: "Gemm",
          name: "gemm",
          inputs: ["A", "B"],
          outputs: ["Y"],
          attributes: {
            transA: { type: "int", value: transA ? 1 : 0 },
            transB: { type: "int", value: transB ? 1 : 0 },
          },
        },
      ],
      inputs: [
        { name: "A", elementType: "float32", shape: transA ? ["k", "m"] : ["m", "k"] },
        { name: "B", elementType: "float32", shape: transB ? ["n", "k"] : ["k", "n"] },
      ],
      outputs: [{ name: "Y", elementType: "float32", shape: ["m", "n"] }],
    },
  });
}
