import { GRADE_RELEVANT, type Grade } from "@mine-refine/core";

/** The ANN neighbours of one training query, best first. */
export interface QueryNeighbours {
  queryId: string;
  productIds: readonly string[];
  /** Cosine similarity of each neighbour, same order as `productIds`. */
  scores: ArrayLike<number>;
}

/** An unjudged (query, product) pair proposed for grading. */
export interface MiningCandidate {
  queryId: string;
  productId: string;
  /** 1-based rank in the query's neighbour list. */
  rank: number;
  score: number;
}

/** A known relevant product that the Stage 1 model ranks low or does not retrieve. */
export interface HardPositive {
  queryId: string;
  productId: string;
  grade: Grade;
  /** 1-based rank, or null when the product is not among the retrieved neighbours. */
  rank: number | null;
}

export interface HardPairOptions {
  /** Known grades: queryId → productId → grade. Judged pairs are never proposed again. */
  judged: ReadonlyMap<string, ReadonlyMap<string, Grade>>;
  /**
   * First rank (1-based) that may become a candidate. Skipping the very top ranks reduces false
   * negatives: an unjudged product the model puts first is often relevant. Default 3.
   */
  minRank?: number;
  /** Last rank that may become a candidate; also the rank below which relevant products count as hard positives. Default 50. */
  maxRank?: number;
  /** A candidate's score must be at least the query's top score minus this margin. Default Infinity (no limit). */
  margin?: number;
  /** A candidate's score must be at least this cosine. Default −Infinity. */
  minScore?: number;
  /** Candidates kept per query, best ranked first. Default 10. */
  maxCandidatesPerQuery?: number;
  /** Judged products of at least this grade count as hard positives when ranked below `maxRank`. Default relevant. */
  hardPositiveMinGrade?: Grade;
}

export interface HardPairCounts {
  queries: number;
  neighbours: number;
  alreadyJudged: number;
  outsideRankWindow: number;
  outsideMargin: number;
  overQueryCap: number;
  candidates: number;
  hardPositives: number;
}

export interface HardPairSelection {
  candidates: MiningCandidate[];
  hardPositives: HardPositive[];
  counts: HardPairCounts;
}

/**
 * Selects hard pairs from each query's neighbours. Unjudged products inside the rank window and
 * score margin become candidates for the judge, and judged pairs are kept as they are. Known
 * relevant products that the model ranks below the window, or misses, become hard positives.
 */
export function selectHardPairs(neighbours: Iterable<QueryNeighbours>, options: HardPairOptions): HardPairSelection {
  const minRank = options.minRank ?? 3;
  const maxRank = options.maxRank ?? 50;
  const margin = options.margin ?? Number.POSITIVE_INFINITY;
  const minScore = options.minScore ?? Number.NEGATIVE_INFINITY;
  const cap = options.maxCandidatesPerQuery ?? 10;
  const hardPositiveMinGrade = options.hardPositiveMinGrade ?? GRADE_RELEVANT;
  if (!(minRank >= 1 && maxRank >= minRank)) {
    throw new RangeError(`Expected 1 <= minRank <= maxRank, received minRank ${minRank} and maxRank ${maxRank}.`);
  }

  const counts: HardPairCounts = {
    queries: 0,
    neighbours: 0,
    alreadyJudged: 0,
    outsideRankWindow: 0,
    outsideMargin: 0,
    overQueryCap: 0,
    candidates: 0,
    hardPositives: 0,
  };
  const candidates: MiningCandidate[] = [];
  const hardPositives: HardPositive[] = [];

  for (const query of neighbours) {
    counts.queries++;
    const judged = options.judged.get(query.queryId);
    const topScore = query.productIds.length > 0 ? Number(query.scores[0]) : Number.NaN;
    const rankOf = new Map<string, number>();
    let kept = 0;

    query.productIds.forEach((productId, i) => {
      const rank = i + 1;
      const score = Number(query.scores[i]);
      rankOf.set(productId, rank);
      counts.neighbours++;
      if (judged?.has(productId) === true) {
        counts.alreadyJudged++;
        return;
      }
      if (rank < minRank || rank > maxRank) {
        counts.outsideRankWindow++;
        return;
      }
      if (score < topScore - margin || score < minScore) {
        counts.outsideMargin++;
        return;
      }
      if (kept >= cap) {
        counts.overQueryCap++;
        return;
      }
      kept++;
      candidates.push({ queryId: query.queryId, productId, rank, score });
    });

    for (const [productId, grade] of judged ?? []) {
      if (grade < hardPositiveMinGrade) continue;
      const rank = rankOf.get(productId);
      if (rank !== undefined && rank <= maxRank) continue;
      hardPositives.push({ queryId: query.queryId, productId, grade, rank: rank ?? null });
    }
  }
  counts.candidates = candidates.length;
  counts.hardPositives = hardPositives.length;
  return { candidates, hardPositives, counts };
}
