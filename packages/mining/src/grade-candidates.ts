import type { Grade, ProgressCallback, Product } from "@mine-refine/core";
import type { MiningCandidate } from "./hard-pairs.js";

/** A pair as a judge receives it; the same shape as the labeling package's judge input. */
export interface JudgeInput {
  queryId: string;
  query: string;
  productId: string;
  product: Product;
}

export type JudgeOutput =
  | { queryId: string; productId: string; grade: Grade; confidence: number; judgeId: string; guidelineVersion: string }
  | { queryId: string; productId: string; error: { code: string; message: string }; judgeId: string };

/** Any judge that grades pairs in batches (structurally the labeling package's `Judge`). */
export interface PairJudge {
  id: string;
  grade(pairs: JudgeInput[]): Promise<JudgeOutput[]>;
}

export interface GradedCandidate extends MiningCandidate {
  grade: Grade;
  confidence: number;
  judgeId: string;
  guidelineVersion: string;
}

export interface GradingOutcome {
  graded: GradedCandidate[];
  /** Candidates the judge returned an error for, counted by error code. */
  failures: Record<string, number>;
}

/** Sends candidates to the judge in batches; failed gradings are counted by code and left out. */
export async function gradeCandidates(
  candidates: readonly MiningCandidate[],
  judge: PairJudge,
  lookups: { queryText(queryId: string): string; product(productId: string): Product },
  options: { batchSize?: number; progress?: ProgressCallback } = {},
): Promise<GradingOutcome> {
  const batchSize = options.batchSize ?? 256;
  const graded: GradedCandidate[] = [];
  const failures: Record<string, number> = {};
  for (let start = 0; start < candidates.length; start += batchSize) {
    const batch = candidates.slice(start, start + batchSize);
    const results = await judge.grade(
      batch.map((candidate) => ({
        queryId: candidate.queryId,
        query: lookups.queryText(candidate.queryId),
        productId: candidate.productId,
        product: lookups.product(candidate.productId),
      })),
    );
    results.forEach((result, i) => {
      const candidate = batch[i]!;
      if ("error" in result) {
        failures[result.error.code] = (failures[result.error.code] ?? 0) + 1;
        return;
      }
      graded.push({ ...candidate, grade: result.grade, confidence: result.confidence, judgeId: result.judgeId, guidelineVersion: result.guidelineVersion });
    });
    options.progress?.({ task: "grade candidates", done: Math.min(candidates.length, start + batchSize), total: candidates.length });
  }
  return { graded, failures };
}
