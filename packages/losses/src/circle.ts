/**
 * Multi-class circle loss: the circle loss of Sun et al. applied to every pair of grades present
 * among a query's products, with its own margin, thresholds and weight per grade boundary.
 *
 * Binary circle loss, for positive cosines s_p and negative cosines s_n of one anchor:
 *
 *   L = softplus( logsumexp_n( γ·α_n·(s_n − Δ_n) ) + logsumexp_p( −γ·α_p·(s_p − Δ_p) ) )
 *     = log( 1 + Σ_n Σ_p exp( γ·(α_n·(s_n − Δ_n) − α_p·(s_p − Δ_p)) ) ),
 *   α_p = [O_p − s_p]_+,  α_n = [s_n − O_n]_+,
 *   O_p = 1 + m,  O_n = −m,  Δ_p = 1 − m,  Δ_n = m.
 *
 * The α weights are constants in the gradient (stop-gradient), as in the original method, so the
 * gradient is dL/ds_n = σ(z)·softmax_n·γ·α_n and dL/ds_p = −σ(z)·softmax_p·γ·α_p, with z the
 * softplus argument.
 *
 * Multi-class extension: for each query and each boundary (h, l) of grades h > l, namely 2 vs 1,
 * 1 vs 0 and 2 vs 0, a term exists when the query has products of both grades in the batch. Its
 * "positives" are the query's grade-h products and its "negatives" its grade-l products. The loss
 * is Σ_terms w_(h,l) · L_term / (number of terms), where terms of a boundary with weight 0 are left
 * out of the count. A query without two different grades adds nothing, and a batch without any
 * term returns loss 0 and zero gradients.
 *
 * Labels: the cell grades [Q, P]. UNJUDGED cells count as GRADE_IRRELEVANT by default
 * (`unjudgedAs: "irrelevant"`, the in-batch negatives) or are left out (`unjudgedAs: "ignore"`).
 *
 * Inputs: queries [Q, D] and products [P, D], L2-normalised, so s is a cosine in [−1, 1]. As for
 * SupCon, grades must hold every known judgment of each batch query for every batch product.
 *
 * Hyperparameters:
 * - `scale` γ (default 64): sharpness of the logsumexp. Larger values focus the gradient on the
 *   worst pairs and raise the loss scale. Sun et al. used 64 to 256 depending on the task.
 * - `margin` m (default 0.25): relaxation margin. It sets the optima O and decision thresholds Δ
 *   above, so larger m demands a wider gap between the grades.
 * - `adaptiveMargin` (default false): uses m_(h,l) = m·(h − l), so the 2 vs 0 boundary gets twice
 *   the margin of the adjacent-grade boundaries.
 * - `boundaries`: per-boundary `margin`, `weight` (default 1) and explicit `positiveOptimum` O_p,
 *   `negativeOptimum` O_n, `positiveThreshold` Δ_p, `negativeThreshold` Δ_n overriding the values
 *   derived from the margin.
 *
 * NOTE: with the default thresholds every boundary uses the same targets. The 2 vs 1 terms push
 * grade-1 cosines toward −m while the 1 vs 0 terms pull them toward 1 + m, so they settle where
 * the two balance. Per-boundary optima give each grade its own band instead.
 *
 * Cost: the O(Q·P·D) cosine matrix and its backward pass dominate. The loss itself is O(Q·P) and
 * allocation-free.
 *
 * References: Y. Sun et al., "Circle Loss: A Unified Perspective of Pair Similarity Optimization",
 * CVPR 2020 (arXiv:2002.10857). J. Xi et al., "Mine and Refine: Optimizing Graded Relevance in
 * E-commerce Search Retrieval", arXiv:2602.17654 (2026), where a multi-class circle loss is the
 * Stage 2 objective. Related: `createSupConLoss` (Stage 1, no margins).
 */
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { type BatchLossPair, createBatchLossPair } from "./batch-loss.js";
import { OptionChecker } from "./options.js";
import type { BatchLoss, BatchLoss64 } from "./types.js";
import { UNJUDGED } from "./types.js";

export interface CircleBoundaryOptions {
  /** Relaxation margin m of this boundary. Defaults to the loss's margin, times h − l when adaptive. */
  margin?: number;
  /** Weight of this boundary's terms, ≥ 0. Default 1. Weight 0 turns the boundary off. */
  weight?: number;
  /** O_p, the cosine the grade-h products are pulled toward. Default 1 + m. */
  positiveOptimum?: number;
  /** O_n, the cosine the grade-l products are pushed toward. Default −m. */
  negativeOptimum?: number;
  /** Δ_p, the decision threshold of the grade-h cosines. Default 1 − m. */
  positiveThreshold?: number;
  /** Δ_n, the decision threshold of the grade-l cosines. Default m. */
  negativeThreshold?: number;
}

export interface MultiClassCircleLossOptions {
  /** Scale γ. Default 64. */
  scale?: number;
  /** Relaxation margin m. Default 0.25. */
  margin?: number;
  /** Adaptive margins, where boundary (h, l) uses m·(h − l) in place of m. Default false. */
  adaptiveMargin?: boolean;
  /** Treatment of UNJUDGED cells. Default "irrelevant". */
  unjudgedAs?: "irrelevant" | "ignore";
  boundaries?: {
    relevantModerate?: CircleBoundaryOptions;
    moderateIrrelevant?: CircleBoundaryOptions;
    relevantIrrelevant?: CircleBoundaryOptions;
  };
}

/** Resolved parameters of one grade boundary. */
interface Boundary {
  high: Grade;
  low: Grade;
  weight: number;
  positiveOptimum: number;
  negativeOptimum: number;
  positiveThreshold: number;
  negativeThreshold: number;
}

/** Creates the multi-class circle loss for float32 embeddings. */
export function createMultiClassCircleLoss(options: MultiClassCircleLossOptions = {}): BatchLoss {
  return createCircleLossPair(options).float32;
}

/** Creates the multi-class circle loss for float64 embeddings, as used by the gradient checks. */
export function createMultiClassCircleLoss64(options: MultiClassCircleLossOptions = {}): BatchLoss64 {
  return createCircleLossPair(options).float64;
}

/** Resolves the per-boundary parameters from the options, in the order 2 vs 1, 1 vs 0, 2 vs 0. */
export function resolveCircleBoundaries(options: MultiClassCircleLossOptions = {}): {
  scale: number;
  ignoreUnjudged: boolean;
  boundaries: Boundary[];
} {
  const scale = options.scale ?? 64;
  const margin = options.margin ?? 0.25;
  const adaptiveMargin = options.adaptiveMargin ?? false;
  const unjudgedAs = options.unjudgedAs ?? "irrelevant";

  const checker = new OptionChecker("multi-class circle loss options");
  checker.number("scale", scale, { min: 0, minExclusive: true });
  checker.number("margin", margin, {});
  checker.oneOf("unjudgedAs", unjudgedAs, ["irrelevant", "ignore"]);

  const specs: [keyof NonNullable<MultiClassCircleLossOptions["boundaries"]>, Grade, Grade][] = [
    ["relevantModerate", GRADE_RELEVANT, GRADE_MODERATE],
    ["moderateIrrelevant", GRADE_MODERATE, GRADE_IRRELEVANT],
    ["relevantIrrelevant", GRADE_RELEVANT, GRADE_IRRELEVANT],
  ];
  const boundaries = specs.map(([name, high, low]): Boundary => {
    const given = options.boundaries?.[name] ?? {};
    const m = given.margin ?? (adaptiveMargin ? margin * (high - low) : margin);
    const boundary: Boundary = {
      high,
      low,
      weight: given.weight ?? 1,
      positiveOptimum: given.positiveOptimum ?? 1 + m,
      negativeOptimum: given.negativeOptimum ?? -m,
      positiveThreshold: given.positiveThreshold ?? 1 - m,
      negativeThreshold: given.negativeThreshold ?? m,
    };
    const path = `boundaries.${name}`;
    checker.number(`${path}.margin`, m, {});
    checker.number(`${path}.weight`, boundary.weight, { min: 0 });
    checker.number(`${path}.positiveOptimum`, boundary.positiveOptimum, {});
    checker.number(`${path}.negativeOptimum`, boundary.negativeOptimum, {});
    checker.number(`${path}.positiveThreshold`, boundary.positiveThreshold, {});
    checker.number(`${path}.negativeThreshold`, boundary.negativeThreshold, {});
    return boundary;
  });
  checker.throwIfAny();
  return { scale, ignoreUnjudged: unjudgedAs === "ignore", boundaries };
}

function createCircleLossPair(options: MultiClassCircleLossOptions): BatchLossPair {
  const { scale, ignoreUnjudged, boundaries } = resolveCircleBoundaries(options);
  const activeBoundaries = boundaries.filter((boundary) => boundary.weight > 0);
  // Grade a cell counts as, indexed by grade + 1 so that UNJUDGED (-1) maps to index 0. A value of -1 skips the cell.
  const effectiveGrade = new Int8Array([ignoreUnjudged ? -1 : GRADE_IRRELEVANT, GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT]);
  const gradeCounts = new Int32Array(3);

  return createBatchLossPair("multi-class circle loss", (cosines, grades, numQueries, numProducts, gradCosines) => {
    const row: CircleRow = { cosines, grades, gradCosines, effectiveGrade, scale, offset: 0, count: numProducts };
    let termCount = 0;
    let loss = 0;

    for (let i = 0; i < numQueries; i++) {
      row.offset = i * numProducts;
      gradeCounts.fill(0);
      for (let j = 0; j < numProducts; j++) {
        const grade = effectiveGrade[grades[row.offset + j]! - UNJUDGED]!;
        if (grade >= 0) gradeCounts[grade]!++;
      }
      for (const boundary of activeBoundaries) {
        if (gradeCounts[boundary.high]! === 0 || gradeCounts[boundary.low]! === 0) continue;
        loss += addCircleTerm(row, boundary);
        termCount++;
      }
    }
    if (termCount === 0) return 0;

    const inverseCount = 1 / termCount;
    for (let cell = 0; cell < gradCosines.length; cell++) gradCosines[cell]! *= inverseCount;
    return loss * inverseCount;
  });
}

/** One query row of the [Q, P] matrices. */
interface CircleRow {
  cosines: Float64Array; // [Q, P]
  grades: Int8Array; // [Q, P]
  gradCosines: Float64Array; // [Q, P]
  effectiveGrade: Int8Array; // [4], indexed by grade + 1
  scale: number;
  offset: number;
  count: number;
}

/**
 * Adds weight · dL/ds of one circle term to the row's cosine gradient and returns weight · L.
 * Logits: negatives a_n = γ·α_n·(s_n − Δ_n), positives b_p = −γ·α_p·(s_p − Δ_p).
 */
function addCircleTerm(row: CircleRow, boundary: Boundary): number {
  const { cosines, grades, gradCosines, effectiveGrade, scale, offset, count } = row;
  const { high, low, weight, positiveOptimum, negativeOptimum, positiveThreshold, negativeThreshold } = boundary;

  let maxNegative = Number.NEGATIVE_INFINITY;
  let maxPositive = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < count; j++) {
    const grade = effectiveGrade[grades[offset + j]! - UNJUDGED]!;
    const s = cosines[offset + j]!;
    if (grade === low) {
      const logit = scale * Math.max(s - negativeOptimum, 0) * (s - negativeThreshold);
      if (logit > maxNegative) maxNegative = logit;
    } else if (grade === high) {
      const logit = -scale * Math.max(positiveOptimum - s, 0) * (s - positiveThreshold);
      if (logit > maxPositive) maxPositive = logit;
    }
  }

  let sumNegative = 0;
  let sumPositive = 0;
  for (let j = 0; j < count; j++) {
    const grade = effectiveGrade[grades[offset + j]! - UNJUDGED]!;
    const s = cosines[offset + j]!;
    if (grade === low) {
      sumNegative += Math.exp(scale * Math.max(s - negativeOptimum, 0) * (s - negativeThreshold) - maxNegative);
    } else if (grade === high) {
      sumPositive += Math.exp(-scale * Math.max(positiveOptimum - s, 0) * (s - positiveThreshold) - maxPositive);
    }
  }
  const logSumNegative = maxNegative + Math.log(sumNegative);
  const logSumPositive = maxPositive + Math.log(sumPositive);
  const z = logSumNegative + logSumPositive;
  const loss = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)); // softplus(z)
  const sigmoid = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));

  // α is held constant, so each logit is linear in s with slope ±γ·α.
  for (let j = 0; j < count; j++) {
    const grade = effectiveGrade[grades[offset + j]! - UNJUDGED]!;
    const s = cosines[offset + j]!;
    if (grade === low) {
      const alpha = Math.max(s - negativeOptimum, 0);
      const softmax = Math.exp(scale * alpha * (s - negativeThreshold) - logSumNegative);
      gradCosines[offset + j]! += weight * sigmoid * softmax * scale * alpha;
    } else if (grade === high) {
      const alpha = Math.max(positiveOptimum - s, 0);
      const softmax = Math.exp(-scale * alpha * (s - positiveThreshold) - logSumPositive);
      gradCosines[offset + j]! -= weight * sigmoid * softmax * scale * alpha;
    }
  }
  return weight * loss;
}
