import { VALUE_DIGITS, formatDifference, formatInterval, formatPValue, isPresent } from "./format.js";
import type { ReportInput } from "./types.js";

/**
 * One table cell, rendered the same way to HTML and Markdown. `text` is already formatted; `strong`
 * marks the best value of its column or row; `marker` is a significance sign with its explanation
 * in `markerTitle`.
 */
export interface TableCell {
  text: string;
  numeric?: boolean;
  strong?: boolean;
  marker?: string;
  markerTitle?: string;
}

/** A table of the report with the id used for in-page links and an optional note printed under it. */
export interface ReportTable {
  id: string;
  caption: string;
  headers: string[];
  rows: TableCell[][];
  note?: string;
}

/** Two-sided level below which a comparison's p-value earns a significance marker. */
export const SIGNIFICANCE_LEVEL = 0.05;

/** Marker for a system significantly above the reference system on a metric. */
export const MARKER_HIGHER = "▲";
/** Marker for a system significantly below the reference system on a metric. */
export const MARKER_LOWER = "▼";

/**
 * Flags the best (largest) values for bold type. Values are compared after rounding to
 * `VALUE_DIGITS` decimals, so every value that prints the same as the best is bold too. Nothing is
 * flagged unless at least two values are present, because a lone value is not "best" of anything.
 * NOTE: larger is taken as better for every column, which holds for NDCG, recall, precision, MRR and
 * separation, but a lower-is-better metric added later would get the wrong cell in bold.
 */
export function flagBest(values: readonly (number | null | undefined)[]): boolean[] {
  const rounded = values.map((value) => (isPresent(value) ? Number(value.toFixed(VALUE_DIGITS)) : null));
  const present = rounded.filter((value): value is number => value !== null);
  if (present.length < 2) return values.map(() => false);
  const best = Math.max(...present);
  return rounded.map((value) => value === best);
}

/** A comparison oriented as `system − reference`, whichever order the input listed the pair in. */
export interface OrientedComparison {
  difference: number;
  ciLow: number;
  ciHigh: number;
  pValue: number;
}

/**
 * Finds the comparison of `system` against `reference` on `metric` in either order and flips a
 * "reference vs system" entry so the difference reads `system − reference`. The first match wins.
 */
export function findComparison(input: ReportInput, metric: string, reference: string, system: string): OrientedComparison | undefined {
  for (const comparison of input.comparisons) {
    if (comparison.metric !== metric) continue;
    if (comparison.a === system && comparison.b === reference) {
      return { difference: comparison.meanDifference, ciLow: comparison.ciLow, ciHigh: comparison.ciHigh, pValue: comparison.pValue };
    }
    if (comparison.a === reference && comparison.b === system) {
      return { difference: -comparison.meanDifference, ciLow: -comparison.ciHigh, ciHigh: -comparison.ciLow, pValue: comparison.pValue };
    }
  }
  return undefined;
}

/**
 * Returns the significance marker and its tooltip for `system` against `reference`, or undefined
 * when there is no comparison, its p-value is not below SIGNIFICANCE_LEVEL, or its difference is 0.
 */
export function significanceMarker(
  input: ReportInput,
  metric: string,
  reference: string,
  system: string,
): { marker: string; title: string } | undefined {
  const comparison = findComparison(input, metric, reference, system);
  if (comparison === undefined || !isPresent(comparison.pValue) || !(comparison.pValue < SIGNIFICANCE_LEVEL)) return undefined;
  if (!isPresent(comparison.difference) || comparison.difference === 0) return undefined;
  const title =
    `${system} − ${reference}: ${formatDifference(comparison.difference)}, ` +
    `95% CI ${formatInterval(comparison.ciLow, comparison.ciHigh)}, p ${formatPValue(comparison.pValue)}`;
  return { marker: comparison.difference > 0 ? MARKER_HIGHER : MARKER_LOWER, title };
}
