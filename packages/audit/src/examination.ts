import type { EngagementAggregate, PositionCount } from "./engagement.js";

/** Probability that a shopper looks at the result at a 1-based position. */
export type ExaminationModel = (position: number) => number;

/** Examination probability 1 / position^η, the usual power-law position bias. */
export function powerLawExamination(exponent: number): ExaminationModel {
  return (position) => position ** -exponent;
}

/**
 * Examination model from per-position probabilities (index 0 is position 1), for example those a
 * position-based model fit returns. Positions past the end take the last value.
 */
export function tabulatedExamination(examination: ArrayLike<number>): ExaminationModel {
  if (examination.length === 0) throw new RangeError("tabulatedExamination expects at least one position");
  return (position) => examination[Math.min(position, examination.length) - 1]!;
}

/**
 * Impressions and clicks of an aggregate by position. An aggregate without `positionCounts` is
 * treated as if every impression sat at its mean position rounded to the nearest integer.
 * NOTE: for totals-only sources that rounding biases the correction when positions varied widely.
 */
export function positionObservations(aggregate: EngagementAggregate): [number, PositionCount][] {
  if (aggregate.positionCounts !== undefined) return [...aggregate.positionCounts.entries()];
  if (aggregate.impressions === 0) return [];
  const position = Math.max(1, Math.round(aggregate.meanPosition));
  return [[position, { impressions: aggregate.impressions, clicks: aggregate.clicks }]];
}
