/**
 * Label-aware supervised contrastive loss (SupCon) with queries as anchors and the batch's products
 * as candidates.
 *
 * Formula, for anchor query i with s_ip = cos(q_i, p) / τ:
 *
 *   Loss_i = −(1 / W_i) · Σ_{p ∈ P(i)} w_ip · log( exp(s_ip) / Σ_{a ∈ A(i)} exp(s_ia) ),
 *   W_i = Σ_{p ∈ P(i)} w_ip,
 *   Loss = mean of Loss_i over the anchors with W_i > 0.
 *
 * Labels: the cell grade of (i, p) decides the role of p for anchor i.
 * - GRADE_RELEVANT: positive with weight 1.
 * - GRADE_MODERATE: set by `moderateAs`. "positive" makes it a positive with weight
 *   `moderateWeight`, "ignore" removes it from both P(i) and A(i), and "negative" treats it like
 *   GRADE_IRRELEVANT (for ablations).
 * - GRADE_IRRELEVANT and UNJUDGED: negative, so the product is in A(i) only.
 * A(i) is every candidate that is not ignored, positives included, as in the "L_out" form of
 * Khosla et al.
 *
 * Inputs: queries [Q, D] and products [P, D], L2-normalised, and grades [Q, P]. The gradient is
 * taken with respect to the normalised embeddings, and the caller back-propagates through its own
 * normalisation.
 *
 * Requirements on the batch: grades must hold every known judgment of each batch query for every
 * batch product, including products sampled for another query. Otherwise a product known to be
 * relevant to the anchor is treated as an unjudged negative. `createBatchSampler` fills it that way.
 * An anchor without any positive adds nothing to the loss or the gradient and is not counted in the
 * mean. A batch without any positive returns loss 0 and zero gradients.
 *
 * Hyperparameters:
 * - `temperature` τ (default 0.05): divides the cosines. A smaller τ sharpens the softmax and
 *   concentrates the gradient on the hardest negatives, while a larger one spreads it.
 * - `moderateAs` (default "positive") and `moderateWeight` (default 0.5, in (0, 1]): how grade-1
 *   products count. A weight below 1 pulls substitutes and complements toward the query less
 *   strongly than exact matches.
 * - `symmetric` (default false): adds the same loss with products as anchors over the batch's
 *   queries (a product without a positive query in the batch is skipped), and returns the mean of
 *   the two directions.
 *
 * Cost: the O(Q·P·D) cosine matrix and its backward pass (see score-matrix.ts) dominate. The loss
 * itself is O(Q·P) and allocation-free.
 *
 * References: P. Khosla et al., "Supervised Contrastive Learning", NeurIPS 2020 (arXiv:2004.11362).
 * J. Xi et al., "Mine and Refine: Optimizing Graded Relevance in E-commerce Search Retrieval",
 * arXiv:2602.17654 (2026), where this loss is the Stage 1 objective.
 * Related: `createInfoNceLoss` (one positive grade, other positives left out of the softmax) and
 * `createMultiClassCircleLoss` (the Stage 2 loss, with margins between grades).
 */
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT } from "@mine-refine/core";
import { type BatchLossPair, createBatchLossPair } from "./batch-loss.js";
import { OptionChecker } from "./options.js";
import type { BatchLoss, BatchLoss64 } from "./types.js";
import { UNJUDGED } from "./types.js";

export type ModerateRole = "positive" | "ignore" | "negative";

export interface SupConLossOptions {
  /** Softmax temperature τ. Default 0.05. */
  temperature?: number;
  /** Role of grade-1 products. Default "positive". */
  moderateAs?: ModerateRole;
  /** Positive weight of a grade-1 product when `moderateAs` is "positive", in (0, 1]. Default 0.5. */
  moderateWeight?: number;
  /** Also use products as anchors over the queries, and average both directions. Default false. */
  symmetric?: boolean;
}

/** Cell weight that removes a candidate from the softmax denominator. */
const IGNORED = -1;

/** Creates the label-aware SupCon loss for float32 embeddings. */
export function createSupConLoss(options: SupConLossOptions = {}): BatchLoss {
  return createSupConLossPair(options).float32;
}

/** Creates the label-aware SupCon loss for float64 embeddings, as used by the gradient checks. */
export function createSupConLoss64(options: SupConLossOptions = {}): BatchLoss64 {
  return createSupConLossPair(options).float64;
}

function createSupConLossPair(options: SupConLossOptions): BatchLossPair {
  const temperature = options.temperature ?? 0.05;
  const moderateAs = options.moderateAs ?? "positive";
  const moderateWeight = options.moderateWeight ?? 0.5;
  const symmetric = options.symmetric ?? false;

  const checker = new OptionChecker("SupCon loss options");
  checker.number("temperature", temperature, { min: 0, minExclusive: true });
  checker.oneOf("moderateAs", moderateAs, ["positive", "ignore", "negative"]);
  checker.number("moderateWeight", moderateWeight, { min: 0, minExclusive: true, max: 1 });
  if (typeof symmetric !== "boolean") checker.add("symmetric", `expected true or false, received ${JSON.stringify(symmetric)}`);
  checker.throwIfAny();

  // Weight of a cell by grade, indexed by grade + 1 so that UNJUDGED (-1) maps to index 0.
  // 0 is a negative, IGNORED leaves the denominator, a positive number is a positive weight.
  const weightByGrade = new Float64Array(4);
  weightByGrade[UNJUDGED + 1] = 0;
  weightByGrade[GRADE_IRRELEVANT + 1] = 0;
  if (moderateAs === "positive") {
    weightByGrade[GRADE_MODERATE + 1] = moderateWeight;
  } else if (moderateAs === "ignore") {
    weightByGrade[GRADE_MODERATE + 1] = IGNORED;
  } else {
    weightByGrade[GRADE_MODERATE + 1] = 0;
  }
  weightByGrade[GRADE_RELEVANT + 1] = 1;
  const inverseTemperature = 1 / temperature;

  return createBatchLossPair("SupCon loss", (cosines, grades, numQueries, numProducts, gradCosines) => {
    const line: AnchorLine = { cosines, grades, gradCosines, weightByGrade, inverseTemperature, offset: 0, stride: 1, count: numProducts };

    let queryAnchors = 0;
    for (let i = 0; i < numQueries; i++) {
      line.offset = i * numProducts;
      if (hasPositive(line)) queryAnchors++;
    }
    let productAnchors = 0;
    if (symmetric) {
      line.stride = numProducts;
      line.count = numQueries;
      for (let j = 0; j < numProducts; j++) {
        line.offset = j;
        if (hasPositive(line)) productAnchors++;
      }
    }
    if (queryAnchors === 0) return 0;

    // The mean of the two directions halves each one when the loss is symmetric.
    const directionWeight = symmetric ? 0.5 : 1;
    let loss = 0;

    line.stride = 1;
    line.count = numProducts;
    for (let i = 0; i < numQueries; i++) {
      line.offset = i * numProducts;
      loss += addAnchorLoss(line, directionWeight / queryAnchors);
    }
    if (symmetric) {
      line.stride = numProducts;
      line.count = numQueries;
      for (let j = 0; j < numProducts; j++) {
        line.offset = j;
        loss += addAnchorLoss(line, directionWeight / productAnchors);
      }
    }
    return loss;
  });
}

/**
 * One anchor and its candidates: a row of the [Q, P] matrices (stride 1) for a query anchor, or a
 * column (stride P) for a product anchor.
 */
interface AnchorLine {
  cosines: Float64Array; // [Q, P]
  grades: Int8Array; // [Q, P]
  gradCosines: Float64Array; // [Q, P]
  weightByGrade: Float64Array; // [4], indexed by grade + 1
  inverseTemperature: number;
  offset: number;
  stride: number;
  count: number;
}

function hasPositive(line: AnchorLine): boolean {
  for (let k = 0; k < line.count; k++) {
    if (line.weightByGrade[line.grades[line.offset + k * line.stride]! + 1]! > 0) return true;
  }
  return false;
}

/**
 * Adds `scale` · Loss_anchor to the cosine gradient of the line and returns `scale` · Loss_anchor.
 * With W the positive weight total and LSE the log-sum-exp over A(anchor),
 * dLoss/ds_a = softmax_a − w_a / W for each a in A(anchor), and ds/dcos = 1/τ.
 */
function addAnchorLoss(line: AnchorLine, scale: number): number {
  const { cosines, grades, gradCosines, weightByGrade, inverseTemperature, offset, stride, count } = line;

  let totalWeight = 0;
  let maxScore = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < count; k++) {
    const cell = offset + k * stride;
    const weight = weightByGrade[grades[cell]! + 1]!;
    if (weight === IGNORED) continue;
    totalWeight += weight;
    const score = cosines[cell]! * inverseTemperature;
    if (score > maxScore) maxScore = score;
  }
  if (totalWeight === 0) return 0;

  let sumExp = 0;
  for (let k = 0; k < count; k++) {
    const cell = offset + k * stride;
    if (weightByGrade[grades[cell]! + 1]! !== IGNORED) sumExp += Math.exp(cosines[cell]! * inverseTemperature - maxScore);
  }
  const logSumExp = maxScore + Math.log(sumExp);

  let loss = 0;
  for (let k = 0; k < count; k++) {
    const cell = offset + k * stride;
    const weight = weightByGrade[grades[cell]! + 1]!;
    if (weight === IGNORED) continue;
    const score = cosines[cell]! * inverseTemperature;
    if (weight > 0) loss += weight * (logSumExp - score);
    const dScore = Math.exp(score - logSumExp) - weight / totalWeight;
    gradCosines[cell]! += scale * dScore * inverseTemperature;
  }
  return (scale * loss) / totalWeight;
}
