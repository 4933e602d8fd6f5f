/**
 * Shapes used below: rows = batch rows, in = input width, out = output width.
 *
 *   forward:  Y [rows, out] = X [rows, in] · W [in, out] + b [out]
 *   backward: dW += Xᵀ · dY,  db += sum over rows of dY,  dX = dY · Wᵀ
 */
import type { Rng } from "@mine-refine/core";
import type { MatmulBackend } from "../matmul/backend.js";

/** Caller-owned gradient buffers of one Linear layer. */
export interface LinearGradients {
  weight: Float32Array; // [in, out]
  bias: Float32Array; // [out]
}

export class Linear {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly weight: Float32Array; // [in, out]
  readonly bias: Float32Array; // [out]
  private readonly matmul: MatmulBackend;

  constructor(inputDim: number, outputDim: number, matmul: MatmulBackend) {
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.weight = new Float32Array(inputDim * outputDim);
    this.bias = new Float32Array(outputDim);
    this.matmul = matmul;
  }

  /**
   * Draws weights from normal(0, std) with std = sqrt(2 / in) ("he", for a layer followed by ReLU or
   * GELU) or sqrt(2 / (in + out)) ("xavier", for the output layer). Biases start at zero.
   */
  initialize(rng: Rng, scheme: "he" | "xavier"): void {
    const std = scheme === "he" ? Math.sqrt(2 / this.inputDim) : Math.sqrt(2 / (this.inputDim + this.outputDim));
    for (let i = 0; i < this.weight.length; i++) this.weight[i] = rng.normal() * std;
    this.bias.fill(0);
  }

  createGradients(): LinearGradients {
    return { weight: new Float32Array(this.weight.length), bias: new Float32Array(this.bias.length) };
  }

  /** Returns Y [rows, out] for X [rows, in]. */
  async forward(input: Float32Array, rows: number): Promise<Float32Array> {
    const output = await this.matmul.gemm(input, this.weight, rows, this.inputDim, this.outputDim, false, false); // [rows, out]
    const out = this.outputDim;
    for (let r = 0; r < rows; r++) {
      const row = r * out;
      for (let j = 0; j < out; j++) output[row + j]! += this.bias[j]!;
    }
    return output;
  }

  /** Accumulates dW and db into `grads` and returns dX [rows, in]. */
  async backward(input: Float32Array, gradOutput: Float32Array, rows: number, grads: LinearGradients): Promise<Float32Array> {
    const out = this.outputDim;
    const weightGradient = await this.matmul.gemm(input, gradOutput, this.inputDim, rows, out, true, false); // [in, out]
    for (let i = 0; i < weightGradient.length; i++) grads.weight[i]! += weightGradient[i]!;
    for (let r = 0; r < rows; r++) {
      const row = r * out;
      for (let j = 0; j < out; j++) grads.bias[j]! += gradOutput[row + j]!;
    }
    return this.matmul.gemm(gradOutput, this.weight, rows, out, this.inputDim, false, true); // [rows, in]
  }
}
