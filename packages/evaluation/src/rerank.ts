import { MineRefineError } from "@mine-refine/core";
import { meanOfDefined } from "./evaluate-run.js";
import { type GainPreset, type GainScheme, resolveGains } from "./gains.js";
import type { Qrels, RawLabels } from "./qrels.js";
import { rankDiscount } from "./ranking-metrics.js";
import { requirePositiveInteger } from "./validate.js";

export interface RerankOptions {
  /** Default "graded". */
  gains?: GainPreset | GainScheme;
  /** Raw labels, needed only by gain schemes that read them. */
  rawLabels?: RawLabels;
}

export interface RerankEvaluation {
  /** NDCG per judged query; null when no judged product of the query has a positive gain. */
  perQuery: Map<string, number | null>;
  /** Mean over the queries where NDCG is defined; null when there are none. */
  mean: number | null;
  /** Queries left out of the mean because their NDCG is null. */
  excluded: number;
}

/**
 * Computes NDCG in the re-ranking setting: each query's judged products, and only those, are sorted by
 * the model's score, so the metric measures the order of known products and no retrieval step is
 * involved. With `k` undefined the cutoff is the whole judged list; pass 10 for NDCG@10.
 *
 * Every product of a group with tied scores gets the group's mean gain. That equals the DCG averaged
 * over all orders of the group, so the result does not depend on input order.
 *
 * Every judged query must be in `scoresByQuery` with a score for each of its judged products.
 * Scores of unjudged products are ignored.
 */
export function rerankNdcg(
  scoresByQuery: ReadonlyMap<string, ReadonlyMap<string, number>>,
  qrels: Qrels,
  k?: number,
  options: RerankOptions = {},
): RerankEvaluation {
  if (k !== undefined) requirePositiveInteger("rerankNdcg k", k);
  const scheme = resolveGains(options.gains ?? "graded");
  const perQuery = new Map<string, number | null>();

  for (const [queryId, judgments] of qrels) {
    const scores = scoresByQuery.get(queryId);
    if (scores === undefined) {
      throw new MineRefineError(
        "missing_query_scores",
        `rerankNdcg has no scores for judged query "${queryId}"; score every judged (query, product) pair`,
      );
    }
    const rawLabels = options.rawLabels?.get(queryId);
    const items: { score: number; gain: number }[] = [];
    for (const [productId, grade] of judgments) {
      const score = scores.get(productId);
      if (score === undefined || Number.isNaN(score)) {
        throw new MineRefineError(
          "missing_product_score",
          `rerankNdcg has no score for query "${queryId}", product "${productId}" (received ${score}); score every judged pair`,
        );
      }
      items.push({ score, gain: scheme.gain(grade, rawLabels?.get(productId)) });
    }

    const cutoff = k ?? items.length;
    const idealGains = items.map((item) => item.gain).sort((a, b) => b - a);
    let idealDcg = 0;
    for (let position = 0; position < Math.min(cutoff, idealGains.length); position++) {
      idealDcg += idealGains[position]! * rankDiscount(position);
    }
    if (idealDcg <= 0) {
      perQuery.set(queryId, null);
      continue;
    }
    items.sort((a, b) => b.score - a.score);
    perQuery.set(queryId, tieAwareDcg(items, cutoff) / idealDcg);
  }

  const summary = meanOfDefined(perQuery.values());
  return { perQuery, mean: summary.mean, excluded: summary.nullCount };
}

/** DCG@cutoff of items sorted by score descending, with each tied group sharing its mean gain. */
function tieAwareDcg(sorted: readonly { score: number; gain: number }[], cutoff: number): number {
  let dcg = 0;
  let groupStart = 0;
  while (groupStart < sorted.length && groupStart < cutoff) {
    let groupEnd = groupStart + 1;
    while (groupEnd < sorted.length && sorted[groupEnd]!.score === sorted[groupStart]!.score) groupEnd += 1;

    let gainSum = 0;
    for (let position = groupStart; position < groupEnd; position++) gainSum += sorted[position]!.gain;
    let discountSum = 0;
    for (let position = groupStart; position < Math.min(groupEnd, cutoff); position++) {
      discountSum += rankDiscount(position);
    }
    dcg += (gainSum / (groupEnd - groupStart)) * discountSum;
    groupStart = groupEnd;
  }
  return dcg;
}
