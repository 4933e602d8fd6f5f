import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";

/** Shown wherever a value is missing: null, undefined, NaN or infinite. An en dash (U+2013). */
export const MISSING_VALUE = "–";

/** Decimals for metric means, CI bounds, score quantiles, separation and threshold values. */
export const VALUE_DIGITS = 3;

/** Key of a grade in `ReportSystem.histogram.counts` and `ReportSystem.quantiles`. */
export type GradeKey = "0" | "1" | "2";

/** Grades from highest to lowest, the order of every legend and grade table in the report. */
export const REPORT_GRADES: readonly Grade[] = [GRADE_RELEVANT, GRADE_MODERATE, GRADE_IRRELEVANT];

export function gradeKey(grade: Grade): GradeKey {
  return String(grade) as GradeKey;
}

/** Short grade names for legends and table rows. */
export const GRADE_LABELS: Readonly<Record<Grade, string>> = {
  [GRADE_RELEVANT]: "2 relevant",
  [GRADE_MODERATE]: "1 moderate",
  [GRADE_IRRELEVANT]: "0 irrelevant",
};

/** Escapes the five characters that can end a text node or a quoted attribute in HTML and SVG. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** True for a number that can be drawn and printed; null, undefined, NaN and ±Infinity are missing. */
export function isPresent(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Formats a value with `digits` decimals (toFixed rounding), or MISSING_VALUE when it is missing. A
 * negative value that rounds to zero prints without its minus sign.
 */
export function formatValue(value: number | null | undefined, digits = VALUE_DIGITS): string {
  if (!isPresent(value)) return MISSING_VALUE;
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Formats a signed difference with an explicit "+" for positive values. */
export function formatDifference(value: number | null | undefined, digits = VALUE_DIGITS): string {
  const text = formatValue(value, digits);
  return isPresent(value) && !text.startsWith("-") && Number(text) !== 0 ? `+${text}` : text;
}

/** Formats a confidence interval as "[low, high]", or MISSING_VALUE unless both bounds are present. */
export function formatInterval(low: number | null | undefined, high: number | null | undefined): string {
  if (!isPresent(low) || !isPresent(high)) return MISSING_VALUE;
  return `[${formatValue(low)}, ${formatValue(high)}]`;
}

/** Formats a p-value with 3 decimals, and values below 0.001 as "<0.001". */
export function formatPValue(pValue: number | null | undefined): string {
  if (!isPresent(pValue)) return MISSING_VALUE;
  return pValue < 0.001 ? "<0.001" : pValue.toFixed(3);
}

/** Formats a count with comma thousands separators, independent of the process locale. */
export function formatCount(count: number | null | undefined): string {
  if (!isPresent(count)) return MISSING_VALUE;
  const [integer = "", fraction] = String(Math.abs(count)).split(".");
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${count < 0 ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}
