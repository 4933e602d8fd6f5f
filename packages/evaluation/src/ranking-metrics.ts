import { GRADE_IRRELEVANT, GRADE_MODERATE, type Grade, MineRefineError } from "@mine-refine/core";
import { type GainPreset, type GainScheme, resolveGains } from "./gains.js";
import { requirePositiveInteger } from "./validate.js";

// Metrics of one query's ranked list of product ids against that query's judgments. Retrieved
// products without a judgment count as GRADE_IRRELEVANT. A product counts as relevant when its grade
// is at least `minGrade`, GRADE_MODERATE by default, so substitutes and complements count as hits.
// Metrics that divide by the number of relevant products (NDCG, recall, reciprocal rank, average
// precision) return null for a query with none, and callers leave those queries out of means.

export interface NdcgOptions {
  /** Default "graded": gain 2^grade − 1. */
  gains?: GainPreset | GainScheme;
  /** Raw labels of this query's judged products, for gain schemes that read them. */
  rawLabels?: ReadonlyMap<string, string>;
}

/** Returns the rank discount 1 / log2(rank + 1) for a 0-based position, so rank = position + 1. */
export function rankDiscount(position: number): number {
  return 1 / Math.log2(position + 2);
}

/**
 * Computes NDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{rank ≤ k} gain / log2(rank + 1). The ideal DCG
 * ranks all judged products of the query by gain, including those the ranking did not retrieve.
 * Returns null when no judged product has a positive gain.
 */
export function ndcgAtK(
  ranking: readonly string[],
  judgments: ReadonlyMap<string, Grade>,
  k: number,
  options: NdcgOptions = {},
): number | null {
  requirePositiveInteger("ndcgAtK k", k);
  requireDistinct(ranking);
  const scheme = resolveGains(options.gains ?? "graded");
  const gainOf = (productId: string): number => {
    const grade = judgments.get(productId);
    if (grade === undefined) return 0;
    return scheme.gain(grade, options.rawLabels?.get(productId));
  };

  const idealGains = Array.from(judgments.keys(), gainOf).sort((a, b) => b - a);
  let idealDcg = 0;
  for (let position = 0; position < Math.min(k, idealGains.length); position++) {
    idealDcg += idealGains[position]! * rankDiscount(position);
  }
  if (idealDcg <= 0) return null;

  let dcg = 0;
  for (let position = 0; position < Math.min(k, ranking.length); position++) {
    dcg += gainOf(ranking[position]!) * rankDiscount(position);
  }
  return dcg / idealDcg;
}

/**
 * Computes recall@k: relevant products in the top k over all relevant judged products of the query.
 * Returns null when the query has no relevant judged product.
 */
export function recallAtK(
  ranking: readonly string[],
  judgments: ReadonlyMap<string, Grade>,
  k: number,
  minGrade: Grade = GRADE_MODERATE,
): number | null {
  requirePositiveInteger("recallAtK k", k);
  requireDistinct(ranking);
  const relevantCount = countRelevant(judgments, minGrade);
  if (relevantCount === 0) return null;
  return countRelevantInTop(ranking, judgments, k, minGrade) / relevantCount;
}

/**
 * Computes precision@k: relevant products in the top k over k. The denominator stays k when the
 * ranking is shorter, as in trec_eval, so a short list is not rewarded. Always defined.
 */
export function precisionAtK(
  ranking: readonly string[],
  judgments: ReadonlyMap<string, Grade>,
  k: number,
  minGrade: Grade = GRADE_MODERATE,
): number {
  requirePositiveInteger("precisionAtK k", k);
  requireDistinct(ranking);
  return countRelevantInTop(ranking, judgments, k, minGrade) / k;
}

/**
 * Computes the reciprocal rank of the first relevant product within the top k, or 0 when none is
 * there. Returns null when the query has no relevant judged product.
 */
export function mrrAtK(
  ranking: readonly string[],
  judgments: ReadonlyMap<string, Grade>,
  k: number,
  minGrade: Grade = GRADE_MODERATE,
): number | null {
  requirePositiveInteger("mrrAtK k", k);
  requireDistinct(ranking);
  if (countRelevant(judgments, minGrade) === 0) return null;
  for (let position = 0; position < Math.min(k, ranking.length); position++) {
    if (isRelevant(judgments.get(ranking[position]!), minGrade)) return 1 / (position + 1);
  }
  return 0;
}

/**
 * Computes average precision over the whole ranking: the mean, over all relevant judged products, of
 * precision at the rank where each was retrieved, with 0 for relevant products never retrieved.
 * Returns null when the query has no relevant judged product.
 */
export function averagePrecision(
  ranking: readonly string[],
  judgments: ReadonlyMap<string, Grade>,
  minGrade: Grade = GRADE_MODERATE,
): number | null {
  requireDistinct(ranking);
  const relevantCount = countRelevant(judgments, minGrade);
  if (relevantCount === 0) return null;
  let hits = 0;
  let precisionSum = 0;
  for (let position = 0; position < ranking.length; position++) {
    if (!isRelevant(judgments.get(ranking[position]!), minGrade)) continue;
    hits += 1;
    precisionSum += hits / (position + 1);
  }
  return precisionSum / relevantCount;
}

function isRelevant(grade: Grade | undefined, minGrade: Grade): boolean {
  return (grade ?? GRADE_IRRELEVANT) >= minGrade;
}

function countRelevant(judgments: ReadonlyMap<string, Grade>, minGrade: Grade): number {
  let count = 0;
  for (const grade of judgments.values()) if (isRelevant(grade, minGrade)) count += 1;
  return count;
}

function countRelevantInTop(
  ranking: readonly string[],
  judgments: ReadonlyMap<string, Grade>,
  k: number,
  minGrade: Grade,
): number {
  let count = 0;
  for (let position = 0; position < Math.min(k, ranking.length); position++) {
    if (isRelevant(judgments.get(ranking[position]!), minGrade)) count += 1;
  }
  return count;
}

/**
 * Raises an error when a product id appears twice in a ranking, because a repeated relevant product
 * would be counted twice and can push recall above 1.
 */
export function requireDistinct(ranking: readonly string[], queryId?: string): void {
  const seen = new Set<string>();
  for (const productId of ranking) {
    if (seen.has(productId)) {
      const where = queryId === undefined ? "The ranking" : `The ranking of query "${queryId}"`;
      throw new MineRefineError(
        "duplicate_ranked_product",
        `${where} lists product "${productId}" twice; remove repeated products before evaluating`,
      );
    }
    seen.add(productId);
  }
}
