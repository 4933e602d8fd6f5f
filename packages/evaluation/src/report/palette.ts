import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import type { ReportSystem } from "./types.js";

/**
 * Grade colours from the Okabe–Ito palette: vermillion, sky blue and blue differ in hue for normal
 * vision and in lightness for protanopia, deuteranopia and tritanopia. Every chart also gives each
 * grade its own dash pattern, so grades stay distinct in a grey-scale print.
 */
export const GRADE_COLORS: Readonly<Record<Grade, string>> = {
  [GRADE_RELEVANT]: "#0072B2",
  [GRADE_MODERATE]: "#56B4E9",
  [GRADE_IRRELEVANT]: "#D55E00",
};

/** SVG stroke-dasharray per grade: solid for relevant, dashed for moderate, dotted for irrelevant. */
export const GRADE_DASHES: Readonly<Record<Grade, string>> = {
  [GRADE_RELEVANT]: "",
  [GRADE_MODERATE]: "6 3",
  [GRADE_IRRELEVANT]: "2 2",
};

/** Bar colours per system kind, also from the Okabe–Ito palette and distinct from the grade colours. */
export const KIND_COLORS: Readonly<Record<ReportSystem["kind"], string>> = {
  lexical: "#E69F00",
  hybrid: "#CC79A7",
  dense: "#009E73",
};

/** Line colours for the two threshold targets, "grade >= 2" and "grade >= 1". */
export const MIN_GRADE_COLORS: Readonly<Record<1 | 2, string>> = {
  2: GRADE_COLORS[GRADE_RELEVANT],
  1: GRADE_COLORS[GRADE_MODERATE],
};
