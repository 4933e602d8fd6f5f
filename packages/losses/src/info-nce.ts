/**
 * In-batch softmax cross-entropy (InfoNCE, also called multiple negatives ranking loss) with only
 * GRADE_RELEVANT as positive: the binary baseline that the graded losses are compared against.
 *
 * Formula, with s_ip = cos(q_i, p) / τ and one term per (anchor query i, relevant product p):
 *
 *   L_ip = −log( exp(s_ip) / ( exp(s_ip) + Σ_{n ∈ N(i)} exp(s_in) ) ),
 *   Loss = mean of L_ip over all relevant cells of the batch.
 *
 * Labels: N(i) is every batch product that is not relevant to query i, so GRADE_MODERATE,
 * GRADE_IRRELEVANT and UNJUDGED cells are all negatives. The other relevant products of the same
 * query are left out of each term's softmax, so a query with several exact matches does not push
 * them apart.
 *
 * Inputs: queries [Q, D] and products [P, D], L2-normalised, and grades [Q, P]. A query without a
 * relevant product adds nothing, and a batch without any returns loss 0 and zero gradients.
 *
 * Hyperparameter: `temperature` τ (default 0.05, a logit scale of 20) divides the cosines.
 *
 * Cost: O(Q·P·D) for the cosine matrix and its backward pass, O(Q·P) for the loss.
 *
 * Related: `createSupConLoss` with `moderateAs: "negative"` differs only in keeping the other
 * positives in the softmax, and equals this loss when every query has one relevant product.
 */
import { GRADE_RELEVANT } from "@mine-refine/core";
import { type BatchLossPair, createBatchLossPair } from "./batch-loss.js";
import { OptionChecker } from "./options.js";
import type { BatchLoss, BatchLoss64 } from "./types.js";

export interface InfoNceLossOptions {
  /** Softmax temperature τ. Default 0.05. */
  temperature?: number;
}

/** Creates the in-batch softmax cross-entropy baseline for float32 embeddings. */
export function createInfoNceLoss(options: InfoNceLossOptions = {}): BatchLoss {
  return createInfoNceLossPair(options).float32;
}

/** Creates the in-batch softmax cross-entropy baseline for float64 embeddings. */
export function createInfoNceLoss64(options: InfoNceLossOptions = {}): BatchLoss64 {
  return createInfoNceLossPair(options).float64;
}

function createInfoNceLossPair(options: InfoNceLossOptions): BatchLossPair {
  const temperature = options.temperature ?? 0.05;
  const checker = new OptionChecker("InfoNCE loss options");
  checker.number("temperature", temperature, { min: 0, minExclusive: true });
  checker.throwIfAny();
  const inverseTemperature = 1 / temperature;

  return createBatchLossPair("InfoNCE loss", (cosines, grades, numQueries, numProducts, gradCosines) => {
    let pairCount = 0;
    for (let cell = 0; cell < grades.length; cell++) if (grades[cell] === GRADE_RELEVANT) pairCount++;
    if (pairCount === 0) return 0;
    const scale = inverseTemperature / pairCount;

    let loss = 0;
    for (let i = 0; i < numQueries; i++) {
      const offset = i * numProducts;

      let maxScore = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < numProducts; j++) maxScore = Math.max(maxScore, cosines[offset + j]! * inverseTemperature);
      let negativeSum = 0; // Σ_n exp(s_in − max)
      for (let j = 0; j < numProducts; j++) {
        if (grades[offset + j] !== GRADE_RELEVANT) negativeSum += Math.exp(cosines[offset + j]! * inverseTemperature - maxScore);
      }

      // Each positive p has its own normaliser Z_p = exp(s_ip − max) + negativeSum. A negative's
      // gradient sums exp(s_in − max) / Z_p over the positives, so only Σ_p 1 / Z_p is kept.
      let inverseNormaliserSum = 0;
      for (let j = 0; j < numProducts; j++) {
        if (grades[offset + j] !== GRADE_RELEVANT) continue;
        const shifted = cosines[offset + j]! * inverseTemperature - maxScore;
        const normaliser = Math.exp(shifted) + negativeSum;
        loss += Math.log(normaliser) - shifted;
        inverseNormaliserSum += 1 / normaliser;
        gradCosines[offset + j]! -= (scale * negativeSum) / normaliser;
      }
      if (inverseNormaliserSum === 0) continue;

      for (let j = 0; j < numProducts; j++) {
        if (grades[offset + j] === GRADE_RELEVANT) continue;
        gradCosines[offset + j]! += scale * Math.exp(cosines[offset + j]! * inverseTemperature - maxScore) * inverseNormaliserSum;
      }
    }
    return loss / pairCount;
  });
}
