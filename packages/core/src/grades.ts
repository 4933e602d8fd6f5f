/**
 * Relevance grades shared by every package. A dataset adapter maps its own labels onto these
 * and keeps the raw label next to the grade.
 */
export const GRADE_IRRELEVANT = 0;
/** A substitute that misses a stated requirement, or a complement used with the requested item. */
export const GRADE_MODERATE = 1;
/** The product is what the query asks for. */
export const GRADE_RELEVANT = 2;

export type Grade = typeof GRADE_IRRELEVANT | typeof GRADE_MODERATE | typeof GRADE_RELEVANT;

/** All grades in ascending order. */
export const GRADES: readonly Grade[] = [GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT];

export const GRADE_NAMES: Readonly<Record<Grade, string>> = {
  [GRADE_IRRELEVANT]: "irrelevant",
  [GRADE_MODERATE]: "moderately relevant",
  [GRADE_RELEVANT]: "relevant",
};

export function isGrade(value: unknown): value is Grade {
  return value === GRADE_IRRELEVANT || value === GRADE_MODERATE || value === GRADE_RELEVANT;
}
