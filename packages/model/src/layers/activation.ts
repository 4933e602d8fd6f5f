/**
 * Element-wise activations on flat buffers of any shape.
 *
 *   relu(x) = max(0, x), relu'(x) = 1 for x > 0 else 0
 *   gelu(x) = 0.5 x (1 + tanh(u)), u = c (x + 0.044715 x³), c = sqrt(2 / π)   (the tanh approximation)
 *   gelu'(x) = 0.5 (1 + tanh(u)) + 0.5 x (1 - tanh²(u)) c (1 + 3 · 0.044715 x²)
 */

export type Activation = "relu" | "gelu";

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/** Returns activation(x) in a new buffer of the shape of `input`. */
export function activationForward(kind: Activation, input: Float32Array): Float32Array {
  const output = new Float32Array(input.length);
  if (kind === "relu") {
    for (let i = 0; i < input.length; i++) output[i] = Math.max(input[i]!, 0);
    return output;
  }
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    output[i] = 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_K * x * x * x)));
  }
  return output;
}

/** Returns dX = activation'(x) ⊙ dY, where `input` is the forward input x. */
export function activationBackward(kind: Activation, input: Float32Array, gradOutput: Float32Array): Float32Array {
  const gradInput = new Float32Array(input.length);
  if (kind === "relu") {
    for (let i = 0; i < input.length; i++) gradInput[i] = input[i]! > 0 ? gradOutput[i]! : 0;
    return gradInput;
  }
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    const t = Math.tanh(GELU_C * (x + GELU_K * x * x * x));
    const derivative = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * x * x);
    gradInput[i] = derivative * gradOutput[i]!;
  }
  return gradInput;
}
