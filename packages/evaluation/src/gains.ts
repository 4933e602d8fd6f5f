import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, MineRefineError } from "@mine-refine/core";

/** How much one judged product adds to DCG before the rank discount. */
export interface GainScheme {
  name: string;
  /** Returns the gain of a judged product. `rawLabel` is the dataset's own label, when known. */
  gain(grade: Grade, rawLabel: string | undefined): number;
}

/** Creates a gain scheme that reads only the grade. */
export function gradeGains(name: string, byGrade: Readonly<Record<Grade, number>>): GainScheme {
  return { name, gain: (grade) => byGrade[grade] };
}

/**
 * Creates a gain scheme that reads the raw label of the source dataset, for gains finer than the
 * three grades. The scheme raises an error for a product without a raw label or with a label not in `byLabel`.
 */
export function rawLabelGains(name: string, byLabel: Readonly<Record<string, number>>): GainScheme {
  return {
    name,
    gain(_grade, rawLabel) {
      if (rawLabel === undefined) {
        throw new MineRefineError(
          "missing_raw_label",
          `Gain scheme "${name}" needs the raw label of every judged product, but one has none. Pass rawLabels built with qrelsFromJudgments, or use the "graded" gains`,
        );
      }
      const value = byLabel[rawLabel];
      if (value === undefined) {
        throw new MineRefineError(
          "unknown_raw_label",
          `Gain scheme "${name}" has no gain for raw label "${rawLabel}"; expected one of ${Object.keys(byLabel).join(", ")}. Map the label or choose another gain scheme`,
        );
      }
      return value;
    },
  };
}

/**
 * Built-in gain schemes.
 * - `graded`: gain 2^grade − 1, so relevant 3, moderately relevant 1, irrelevant 0.
 * - `esci`: gains by ESCI label, Exact 1, Substitute 0.1, Complement 0.01, Irrelevant 0, so a
 *   substitute counts a tenth of an exact match. Needs raw labels, written as the letter
 *   (E, S, C, I) or the word (Exact, Substitute, Complement, Irrelevant).
 */
export const GAIN_PRESETS = {
  graded: gradeGains("graded", { [GRADE_IRRELEVANT]: 0, [GRADE_MODERATE]: 1, [GRADE_RELEVANT]: 3 }),
  esci: rawLabelGains("esci", {
    E: 1,
    S: 0.1,
    C: 0.01,
    I: 0,
    Exact: 1,
    Substitute: 0.1,
    Complement: 0.01,
    Irrelevant: 0,
  }),
} as const satisfies Record<string, GainScheme>;

export type GainPreset = keyof typeof GAIN_PRESETS;

/** Returns the scheme itself, or the built-in scheme of that name. */
export function resolveGains(gains: GainPreset | GainScheme): GainScheme {
  if (typeof gains !== "string") return gains;
  const scheme: GainScheme | undefined = GAIN_PRESETS[gains];
  if (scheme === undefined) {
    throw new RangeError(`Unknown gain preset "${gains}"; expected one of ${Object.keys(GAIN_PRESETS).join(", ")}`);
  }
  return scheme;
}
