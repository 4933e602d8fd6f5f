import { Rng } from "@mine-refine/core";

/**
 * Multinomial logistic regression (softmax regression) over standardised features.
 *
 * Shapes: N examples, F features, C classes.
 *   p(c | x) = softmax_c(W[c] · z + b[c]),  z = (x − mean) / std
 *   loss = mean over examples of −log p(y | x) + (l2 / 2) · ‖W‖²   (the bias is not regularised)
 * Trained with Adam on shuffled mini-batches; the shuffle draws from a seeded `Rng`, so a seed
 * gives the same weights on every run.
 */
export interface SoftmaxModel {
  classCount: number;
  featureCount: number;
  /** [F] feature means of the training set. */
  mean: number[];
  /** [F] feature standard deviations of the training set; 1 where a feature is constant. */
  std: number[];
  /** [C, F] row-major. */
  weights: number[];
  /** [C] */
  bias: number[];
}

export interface SoftmaxTrainingOptions {
  /** L2 penalty on the weights. Default 1e-3. */
  l2?: number;
  /** Adam step size. Default 0.05. */
  learningRate?: number;
  /** Passes over the training set. Default 60. */
  epochs?: number;
  /** Examples per Adam step. Default 256. */
  batchSize?: number;
  seed?: number;
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

/**
 * Fits the model to `features` ([N, F] row-major) and `labels` ([N], class indices in [0, C)).
 * Returns the model and the mean training loss of the last epoch.
 */
export function trainSoftmax(
  features: Float64Array,
  labels: readonly number[],
  featureCount: number,
  classCount: number,
  options: SoftmaxTrainingOptions = {},
): { model: SoftmaxModel; finalLoss: number } {
  const l2 = options.l2 ?? 1e-3;
  const learningRate = options.learningRate ?? 0.05;
  const epochs = options.epochs ?? 60;
  const batchSize = options.batchSize ?? 256;
  const rng = new Rng(options.seed ?? 0);
  const n = labels.length;

  const { mean, std } = standardisation(features, n, featureCount);
  const z = new Float64Array(n * featureCount); // [N, F]
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < featureCount; f++) {
      z[i * featureCount + f] = ((features[i * featureCount + f] ?? 0) - (mean[f] ?? 0)) / (std[f] ?? 1);
    }
  }

  const parameterCount = classCount * featureCount + classCount;
  const parameters = new Float64Array(parameterCount); // [C*F weights, then C biases]
  const gradient = new Float64Array(parameterCount);
  const firstMoment = new Float64Array(parameterCount);
  const secondMoment = new Float64Array(parameterCount);
  const probabilities = new Float64Array(classCount); // [C]
  const order = Array.from({ length: n }, (_, i) => i);
  let step = 0;
  let finalLoss = Number.NaN;

  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    let epochLoss = 0;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      gradient.fill(0);
      for (let k = start; k < end; k++) {
        const i = order[k] as number;
        const label = labels[i] as number;
        softmaxInto(parameters, z, i, featureCount, classCount, probabilities);
        epochLoss -= Math.log(Math.max(probabilities[label] ?? 0, 1e-300));
        for (let c = 0; c < classCount; c++) {
          // d(−log p_y)/d logit_c = p_c − [c = y]
          const delta = (probabilities[c] ?? 0) - (c === label ? 1 : 0);
          for (let f = 0; f < featureCount; f++) gradient[c * featureCount + f]! += delta * (z[i * featureCount + f] ?? 0);
          gradient[classCount * featureCount + c]! += delta;
        }
      }
      const batch = end - start;
      step++;
      for (let p = 0; p < parameterCount; p++) {
        const isWeight = p < classCount * featureCount;
        const g = (gradient[p] ?? 0) / batch + (isWeight ? l2 * (parameters[p] ?? 0) : 0);
        firstMoment[p] = ADAM_BETA1 * (firstMoment[p] ?? 0) + (1 - ADAM_BETA1) * g;
        secondMoment[p] = ADAM_BETA2 * (secondMoment[p] ?? 0) + (1 - ADAM_BETA2) * g * g;
        const mHat = (firstMoment[p] ?? 0) / (1 - ADAM_BETA1 ** step);
        const vHat = (secondMoment[p] ?? 0) / (1 - ADAM_BETA2 ** step);
        parameters[p]! -= (learningRate * mHat) / (Math.sqrt(vHat) + ADAM_EPSILON);
      }
    }
    finalLoss = n === 0 ? Number.NaN : epochLoss / n;
  }

  const model: SoftmaxModel = {
    classCount,
    featureCount,
    mean,
    std,
    weights: Array.from(parameters.subarray(0, classCount * featureCount)),
    bias: Array.from(parameters.subarray(classCount * featureCount)),
  };
  return { model, finalLoss };
}

/** Returns class probabilities [N, C] row-major for raw (not standardised) features [N, F]. */
export function predictSoftmax(model: SoftmaxModel, features: Float64Array): Float64Array {
  const { featureCount, classCount } = model;
  const n = Math.floor(features.length / featureCount);
  const z = new Float64Array(featureCount); // [F]
  const parameters = Float64Array.from([...model.weights, ...model.bias]);
  const output = new Float64Array(n * classCount); // [N, C]
  const probabilities = new Float64Array(classCount); // [C]
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < featureCount; f++) z[f] = ((features[i * featureCount + f] ?? 0) - (model.mean[f] ?? 0)) / (model.std[f] ?? 1);
    softmaxInto(parameters, z, 0, featureCount, classCount, probabilities);
    output.set(probabilities, i * classCount);
  }
  return output;
}

/** Writes softmax(W · z_row + b) into `out`, subtracting the maximum logit for numerical stability. */
function softmaxInto(parameters: Float64Array, z: Float64Array, row: number, featureCount: number, classCount: number, out: Float64Array): void {
  let maxLogit = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < classCount; c++) {
    let logit = parameters[classCount * featureCount + c] ?? 0;
    for (let f = 0; f < featureCount; f++) logit += (parameters[c * featureCount + f] ?? 0) * (z[row * featureCount + f] ?? 0);
    out[c] = logit;
    if (logit > maxLogit) maxLogit = logit;
  }
  let total = 0;
  for (let c = 0; c < classCount; c++) {
    const e = Math.exp((out[c] ?? 0) - maxLogit);
    out[c] = e;
    total += e;
  }
  for (let c = 0; c < classCount; c++) out[c] = (out[c] ?? 0) / total;
}

function standardisation(features: Float64Array, n: number, featureCount: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(featureCount).fill(0);
  const std = new Array<number>(featureCount).fill(0);
  for (let i = 0; i < n; i++) for (let f = 0; f < featureCount; f++) mean[f]! += (features[i * featureCount + f] ?? 0) / n;
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < featureCount; f++) std[f]! += ((features[i * featureCount + f] ?? 0) - (mean[f] ?? 0)) ** 2 / n;
  }
  // A constant feature keeps std 1, so standardising maps it to 0 instead of dividing by zero.
  return { mean, std: std.map((variance) => (variance > 1e-12 ? Math.sqrt(variance) : 1)) };
}
