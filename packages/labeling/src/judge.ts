import type { Grade, ProgressCallback, Product } from "@mine-refine/core";

/** One (query, product) pair to grade. */
export interface JudgePair {
  queryId: string;
  query: string;
  productId: string;
  product: Product;
}

/** A pair together with its known grade, as training or export input. */
export interface GradedPair extends JudgePair {
  grade: Grade;
}

/** A judge's grade for one pair. */
export interface JudgeGrade {
  queryId: string;
  productId: string;
  grade: Grade;
  /** Probability in [0, 1] that the judge gives to `grade`. */
  confidence: number;
  judgeId: string;
  guidelineVersion: string;
  /** One-sentence reason that an LLM judge gave, when it gave one. */
  reason?: string;
}

/** A pair the judge could not grade, for example a malformed LLM reply or a pair without a stored label. */
export interface JudgeFailure {
  queryId: string;
  productId: string;
  error: { code: string; message: string };
  judgeId: string;
}

export type JudgeResult = JudgeGrade | JudgeFailure;

export interface GradeOptions {
  signal?: AbortSignal;
  progress?: ProgressCallback;
}

/**
 * Grades (query, product) pairs under a guideline version. `grade` returns one result per pair in
 * input order; a pair that cannot be graded comes back as a `JudgeFailure`, not as an exception.
 */
export interface Judge {
  id: string;
  guidelineVersion: string;
  grade(pairs: JudgePair[], options?: GradeOptions): Promise<JudgeResult[]>;
}

export function isJudgeGrade(result: JudgeResult): result is JudgeGrade {
  return "grade" in result;
}

/** Returns the key that identifies a pair in truth maps and caches: query id and product id joined by a tab. */
export function pairKey(queryId: string, productId: string): string {
  return `${queryId}\t${productId}`;
}
