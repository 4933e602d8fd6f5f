import type { JudgeResult } from "../judge.js";

/** Returns "graded", the error code of a failed result, or "missing" when there is no result. */
export function outcomeOf(result: JudgeResult | undefined): string {
  if (result === undefined) return "missing";
  return "error" in result ? result.error.code : "graded";
}

/** Returns the confidence of a graded result, or NaN for a failed or missing one. */
export function confidenceOf(result: JudgeResult | undefined): number {
  return result !== undefined && "confidence" in result ? result.confidence : Number.NaN;
}
