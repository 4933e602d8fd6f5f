import { noProgress, type ProgressCallback } from "@mine-refine/core";
import { type CorrectedEngagement, correctedEngagement } from "./bias-correction.js";
import type { EngagementAggregate } from "./engagement.js";
import { positionObservations } from "./examination.js";

export interface PositionBasedModelOptions {
  /** Default 500. */
  maxIterations?: number;
  /** Stop when no parameter moves by more than this between iterations. Default 1e-6. */
  tolerance?: number;
  /**
   * Keeps θ_1 at 1. The data only determine the products θ_k · γ, so without an anchor the scale of θ
   * against γ is arbitrary. With it, γ is the click probability of an examined product. Default true.
   */
  fixTopExamination?: boolean;
  progress?: ProgressCallback;
}

export interface PositionBasedModelFit {
  /** θ by position: index 0 is position 1. */ // [maxPosition]
  examination: Float64Array;
  /** γ, the click probability once examined, one per input aggregate in input order. */ // [pairs]
  attractiveness: Float64Array;
  iterations: number;
  converged: boolean;
  /** Bernoulli log-likelihood of all impressions under the fitted model. */
  logLikelihood: number;
}

/**
 * Fits the position-based click model P(click at position k) = θ_k · γ_pair by expectation
 * maximisation over impressions and clicks by position. The E-step splits each unclicked impression
 * into "not examined" with probability θ(1 - γ) / (1 - θγ) on the θ side and "examined but not
 * attractive" with probability (1 - θ)γ / (1 - θγ) on the γ side. The M-step sets θ_k and γ to their
 * expected successes over impressions. θ is shared by all queries. Positions are only informative
 * when pairs appear at several of them, so the fit needs rankings that vary between searches.
 */
export function fitPositionBasedModel(aggregates: readonly EngagementAggregate[], options: PositionBasedModelOptions = {}): PositionBasedModelFit {
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-6;
  const fixTop = options.fixTopExamination ?? true;
  const progress = options.progress ?? noProgress;

  const pairIndex: number[] = [];
  const positionIndex: number[] = [];
  const impressions: number[] = [];
  const clicks: number[] = [];
  let maxPosition = 1;
  aggregates.forEach((aggregate, p) => {
    for (const [position, counts] of positionObservations(aggregate)) {
      if (counts.impressions === 0) continue;
      pairIndex.push(p);
      positionIndex.push(position - 1);
      impressions.push(counts.impressions);
      clicks.push(counts.clicks);
      maxPosition = Math.max(maxPosition, position);
    }
  });

  const theta = new Float64Array(maxPosition); // [maxPosition]
  for (let k = 0; k < maxPosition; k++) theta[k] = 1 / (k + 1);
  const gamma = new Float64Array(aggregates.length).fill(0.5); // [pairs]
  const thetaNumerator = new Float64Array(maxPosition); // [maxPosition]
  const thetaDenominator = new Float64Array(maxPosition); // [maxPosition]
  const gammaNumerator = new Float64Array(aggregates.length); // [pairs]
  const gammaDenominator = new Float64Array(aggregates.length); // [pairs]

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    thetaNumerator.fill(0);
    thetaDenominator.fill(0);
    gammaNumerator.fill(0);
    gammaDenominator.fill(0);
    for (let i = 0; i < pairIndex.length; i++) {
      const p = pairIndex[i]!;
      const k = positionIndex[i]!;
      const t = theta[k]!;
      const g = gamma[p]!;
      const n = impressions[i]!;
      const c = clicks[i]!;
      const noClick = Math.max(1 - t * g, 1e-12);
      thetaNumerator[k]! += c + ((n - c) * t * (1 - g)) / noClick;
      thetaDenominator[k]! += n;
      gammaNumerator[p]! += c + ((n - c) * (1 - t) * g) / noClick;
      gammaDenominator[p]! += n;
    }
    let maxChange = 0;
    for (let k = 0; k < maxPosition; k++) {
      if (fixTop && k === 0) {
        theta[0] = 1;
        continue;
      }
      if (thetaDenominator[k]! === 0) continue;
      const next = thetaNumerator[k]! / thetaDenominator[k]!;
      maxChange = Math.max(maxChange, Math.abs(next - theta[k]!));
      theta[k] = next;
    }
    for (let p = 0; p < gamma.length; p++) {
      if (gammaDenominator[p]! === 0) continue;
      const next = gammaNumerator[p]! / gammaDenominator[p]!;
      maxChange = Math.max(maxChange, Math.abs(next - gamma[p]!));
      gamma[p] = next;
    }
    converged = maxChange < tolerance;
    progress({ task: "fit position-based model", done: iterations, total: maxIterations });
  }

  let logLikelihood = 0;
  for (let i = 0; i < pairIndex.length; i++) {
    const probability = Math.min(Math.max(theta[positionIndex[i]!]! * gamma[pairIndex[i]!]!, 1e-12), 1 - 1e-12);
    logLikelihood += clicks[i]! * Math.log(probability) + (impressions[i]! - clicks[i]!) * Math.log(1 - probability);
  }
  return { examination: theta, attractiveness: gamma, iterations, converged, logLikelihood };
}

/**
 * Corrected engagement from a position-based model fit: the click rate is the pair's γ, and the
 * expected examinations use the fitted θ. The fit must come from the same aggregates in the same order.
 */
export function correctByPositionBasedModel(aggregates: readonly EngagementAggregate[], fit: PositionBasedModelFit): CorrectedEngagement[] {
  return aggregates.map((aggregate, p) => {
    let expectedExaminations = 0;
    for (const [position, counts] of positionObservations(aggregate)) {
      expectedExaminations += counts.impressions * fit.examination[Math.min(position, fit.examination.length) - 1]!;
    }
    return correctedEngagement(aggregate, expectedExaminations, fit.attractiveness[p]!);
  });
}
