import type { EngagementAggregate } from "./engagement.js";
import { type ExaminationModel, positionObservations } from "./examination.js";

/** Engagement of one pair with position bias taken out. */
export interface CorrectedEngagement {
  queryId: string;
  productId: string;
  impressions: number;
  clicks: number;
  addToCarts: number;
  purchases: number;
  /** Sum over impressions of the examination probability of their position: the evidence a pair has. */
  expectedExaminations: number;
  /** Estimated click probability of the pair once examined. */
  clickRate: number;
  /** Add-to-carts per expected examination. */
  addToCartRate: number;
  /** Purchases per expected examination. */
  purchaseRate: number;
}

/**
 * Corrects click-through rates by inverse propensity weighting: each click at position k counts
 * 1 / θ_k, and the weighted clicks are divided by the impressions, so
 * clickRate = (sum over k of clicks_k / θ_k) / (sum over k of impressions_k). This is unbiased for the
 * click probability of an examined product when θ_k is right. Add-to-carts and purchases carry no
 * position, so their rates are divided by the expected examinations instead.
 */
export function correctByInversePropensity(aggregates: readonly EngagementAggregate[], examination: ExaminationModel): CorrectedEngagement[] {
  return aggregates.map((aggregate) => {
    let weightedClicks = 0;
    let impressions = 0;
    let expectedExaminations = 0;
    for (const [position, counts] of positionObservations(aggregate)) {
      const propensity = examination(position);
      if (!(propensity > 0)) throw new RangeError(`examination probability at position ${position} must be positive, received ${propensity}`);
      weightedClicks += counts.clicks / propensity;
      impressions += counts.impressions;
      expectedExaminations += counts.impressions * propensity;
    }
    return correctedEngagement(aggregate, expectedExaminations, impressions > 0 ? weightedClicks / impressions : 0);
  });
}

export function correctedEngagement(aggregate: EngagementAggregate, expectedExaminations: number, clickRate: number): CorrectedEngagement {
  return {
    queryId: aggregate.queryId,
    productId: aggregate.productId,
    impressions: aggregate.impressions,
    clicks: aggregate.clicks,
    addToCarts: aggregate.addToCarts,
    purchases: aggregate.purchases,
    expectedExaminations,
    clickRate,
    addToCartRate: expectedExaminations > 0 ? aggregate.addToCarts / expectedExaminations : 0,
    purchaseRate: expectedExaminations > 0 ? aggregate.purchases / expectedExaminations : 0,
  };
}
