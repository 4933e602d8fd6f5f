/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019) for dense parameters.
 * At step t with gradient g, learning rate η and decay λ:
 *
 *   m ← β1 m + (1 - β1) g,   v ← β2 v + (1 - β2) g²
 *   p ← p - η (m / (1 - β1^t)) / (sqrt(v / (1 - β2^t)) + ε) - η λ p
 *
 * The decay term uses the parameter before this step's Adam update, as in PyTorch's AdamW.
 */

export interface AdamSettings {
  /** Defaults to 0.9. */
  beta1?: number;
  /** Defaults to 0.999. */
  beta2?: number;
  /** Defaults to 1e-8. */
  epsilon?: number;
}

export interface AdamWParameter {
  data: Float32Array;
  /** Whether weight decay applies; usually true for weight matrices and false for biases. */
  decay: boolean;
}

export class AdamW {
  private readonly parameters: AdamWParameter[];
  private readonly firstMoments: Float32Array[]; // one per parameter, same shape
  private readonly secondMoments: Float32Array[]; // one per parameter, same shape
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private steps = 0;

  constructor(parameters: AdamWParameter[], settings: AdamSettings & { weightDecay?: number } = {}) {
    this.parameters = parameters;
    this.firstMoments = parameters.map((parameter) => new Float32Array(parameter.data.length));
    this.secondMoments = parameters.map((parameter) => new Float32Array(parameter.data.length));
    this.beta1 = settings.beta1 ?? 0.9;
    this.beta2 = settings.beta2 ?? 0.999;
    this.epsilon = settings.epsilon ?? 1e-8;
    this.weightDecay = settings.weightDecay ?? 0;
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** Applies one update; `gradients[i]` has the shape of parameter i. */
  step(gradients: readonly Float32Array[], learningRate: number): void {
    if (gradients.length !== this.parameters.length) {
      throw new RangeError(`AdamW.step: received ${gradients.length} gradients for ${this.parameters.length} parameters`);
    }
    this.steps++;
    const { beta1, beta2, epsilon } = this;
    const correction1 = 1 - beta1 ** this.steps;
    const correction2 = 1 - beta2 ** this.steps;
    for (let index = 0; index < this.parameters.length; index++) {
      const { data, decay } = this.parameters[index]!;
      const gradient = gradients[index]!;
      const m = this.firstMoments[index]!;
      const v = this.secondMoments[index]!;
      const decayFactor = decay ? 1 - learningRate * this.weightDecay : 1;
      for (let i = 0; i < data.length; i++) {
        const g = gradient[i]!;
        const mi = beta1 * m[i]! + (1 - beta1) * g;
        const vi = beta2 * v[i]! + (1 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        data[i] = data[i]! * decayFactor - (learningRate * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
      }
    }
  }
}
