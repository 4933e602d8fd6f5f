import {
  GRADE_IRRELEVANT,
  GRADE_MODERATE,
  GRADE_RELEVANT,
  type Grade,
  type Judgment,
  noProgress,
  type ProgressCallback,
  Rng,
} from "@mine-refine/core";
import type { EngagementAggregate, EngagementEvent, EventType, PositionCount } from "./engagement.js";
import { pairKey } from "./engagement.js";
import { zipfProbabilities } from "./power-law.js";

/**
 * Zipf exponent of query frequency, the maximum-likelihood fit of `calibrateFromClickLog` on the
 * Best Buy search → click log (train.csv: 33,892 clicks over 3,941 normalised queries).
 */
export const FITTED_QUERY_FREQUENCY_EXPONENT = 1.048;
/** Clicks per distinct query in the same log: 33,892 / 3,941. */
export const FITTED_MEAN_CLICKS_PER_QUERY = 8.6;

/** A graded pair as the simulator needs it. */
export type GradedPairInput = Pick<Judgment, "queryId" | "productId" | "grade">;

export interface SimulationOptions {
  seed: number;
  /**
   * Grades that drive the shoppers, by `pairKey`. Default: the grades of the input judgments. Pass
   * the true grades here to simulate engagement that disagrees with noisy labels.
   */
  trueGrades?: ReadonlyMap<string, Grade>;
  /** Zipf exponent of searches over queries. Default `FITTED_QUERY_FREQUENCY_EXPONENT`. */
  queryFrequencyExponent?: number;
  /**
   * Expected clicks per query, which sets the number of searches. Default `FITTED_MEAN_CLICKS_PER_QUERY`.
   * Larger values give every pair more evidence, at a run time linear in the number of searches.
   */
  meanClicksPerQuery?: number;
  /** η of the examination probability 1 / position^η. Default 1. */
  examinationExponent?: number;
  /** Results shown per search; lower-ranked products get no impression. Default 10. */
  pageSize?: number;
  /** Probability that an examined product is clicked, by true grade (before the per-pair noise). */
  clickProbability?: Readonly<Record<Grade, number>>;
  /** Probability of an add-to-cart after a click, by true grade. */
  addToCartProbability?: Readonly<Record<Grade, number>>;
  /** Probability of a purchase after an add-to-cart, by true grade. */
  purchaseProbability?: Readonly<Record<Grade, number>>;
  /**
   * Standard deviation of a per-pair normal offset added to the logit of the click probability, so
   * pairs of one grade differ in attractiveness. Default 0.5; 0 turns it off.
   */
  attractivenessNoise?: number;
  /** Standard deviation of normal noise added to the true grade by the simulated ranker. Default 1. */
  rankingNoise?: number;
  /** Whether to return raw events, aggregates or both. Events take about 100 bytes each. Default "aggregates". */
  output?: "aggregates" | "events" | "both";
  /** ISO 8601 window over which search times are spread evenly. Default January 2024. */
  window?: { start: string; end: string };
  progress?: ProgressCallback;
}

export interface SimulationResult {
  aggregates?: EngagementAggregate[];
  events?: EngagementEvent[];
  /** Examination probability by position: index 0 is position 1. */ // [pageSize]
  examination: Float64Array;
  /** Click probability of an examined product, by `pairKey`. */
  attractiveness: Map<string, number>;
  searchCount: number;
}

// NOTE: these probabilities are assumptions, not fitted: the click log has no impressions, carts or purchases.
const DEFAULT_CLICK_PROBABILITY: Record<Grade, number> = { [GRADE_IRRELEVANT]: 0.05, [GRADE_MODERATE]: 0.2, [GRADE_RELEVANT]: 0.45 };
const DEFAULT_ADD_TO_CART_PROBABILITY: Record<Grade, number> = { [GRADE_IRRELEVANT]: 0.02, [GRADE_MODERATE]: 0.12, [GRADE_RELEVANT]: 0.25 };
const DEFAULT_PURCHASE_PROBABILITY: Record<Grade, number> = { [GRADE_IRRELEVANT]: 0.2, [GRADE_MODERATE]: 0.4, [GRADE_RELEVANT]: 0.5 };

interface QueryPool {
  queryId: string;
  productIds: string[];
  grades: Grade[];
  attractiveness: number[];
}

/**
 * Simulates shoppers searching the queries of graded pairs under a position-based click model.
 * Searches are spread over queries by a Zipf law, and a noisy ranker orders each query's products by
 * true grade. The product at position k is examined with probability 1 / k^η and, once examined, is
 * clicked with its pair's attractiveness. A click leads to an add-to-cart and then a purchase with
 * grade-dependent probabilities. Deterministic for a seed.
 */
export function simulateEngagement(judgments: readonly GradedPairInput[], options: SimulationOptions): SimulationResult {
  const rng = new Rng(options.seed);
  const pageSize = options.pageSize ?? 10;
  const examinationExponent = options.examinationExponent ?? 1;
  const clickProbability = options.clickProbability ?? DEFAULT_CLICK_PROBABILITY;
  const addToCartProbability = options.addToCartProbability ?? DEFAULT_ADD_TO_CART_PROBABILITY;
  const purchaseProbability = options.purchaseProbability ?? DEFAULT_PURCHASE_PROBABILITY;
  const rankingNoise = options.rankingNoise ?? 1;
  const output = options.output ?? "aggregates";
  const progress = options.progress ?? noProgress;
  const windowStartMs = Date.parse(options.window?.start ?? "2024-01-01T00:00:00Z");
  const windowEndMs = Date.parse(options.window?.end ?? "2024-02-01T00:00:00Z");

  const examination = new Float64Array(pageSize); // [pageSize]
  for (let k = 0; k < pageSize; k++) examination[k] = (k + 1) ** -examinationExponent;

  const pools = buildQueryPools(judgments, options.trueGrades, clickProbability, options.attractivenessNoise ?? 0.5, rng.fork("attractiveness"));
  const queryShare = assignQueryShares(pools.length, options.queryFrequencyExponent ?? FITTED_QUERY_FREQUENCY_EXPONENT, rng.fork("query-ranks"));
  const searchCount = searchesForClickTarget(pools, queryShare, examination, options.meanClicksPerQuery ?? FITTED_MEAN_CLICKS_PER_QUERY);

  const cumulativeShare = new Float64Array(pools.length); // [queries]
  let running = 0;
  for (let q = 0; q < pools.length; q++) {
    running += queryShare[q]!;
    cumulativeShare[q] = running;
  }

  const sink = new EngagementSink(output, new Date(windowStartMs).toISOString(), new Date(windowEndMs).toISOString());
  const searchRng = rng.fork("searches");
  const progressEvery = Math.max(1, Math.floor(searchCount / 100));
  for (let search = 0; search < searchCount; search++) {
    const pool = pools[pickIndex(cumulativeShare, searchRng.next() * running)]!;
    const timeMs = windowStartMs + ((windowEndMs - windowStartMs) * search) / searchCount;
    const sessionId = `s${search}`;
    const order = rankProducts(pool, rankingNoise, searchRng);
    const shown = Math.min(pageSize, order.length);
    for (let k = 0; k < shown; k++) {
      const index = order[k]!;
      const productId = pool.productIds[index]!;
      const grade = pool.grades[index]!;
      const position = k + 1;
      sink.add(pool.queryId, productId, "impression", position, timeMs, sessionId);
      if (searchRng.next() >= examination[k]!) continue;
      if (searchRng.next() >= pool.attractiveness[index]!) continue;
      sink.add(pool.queryId, productId, "click", position, timeMs, sessionId);
      if (searchRng.next() >= addToCartProbability[grade]) continue;
      sink.add(pool.queryId, productId, "add_to_cart", position, timeMs, sessionId);
      if (searchRng.next() >= purchaseProbability[grade]) continue;
      sink.add(pool.queryId, productId, "purchase", position, timeMs, sessionId);
    }
    if (search % progressEvery === 0) progress({ task: "simulate engagement", done: search, total: searchCount });
  }
  progress({ task: "simulate engagement", done: searchCount, total: searchCount });

  const attractiveness = new Map<string, number>();
  for (const pool of pools) {
    for (let i = 0; i < pool.productIds.length; i++) attractiveness.set(pairKey(pool.queryId, pool.productIds[i]!), pool.attractiveness[i]!);
  }
  return { ...sink.result(), examination, attractiveness, searchCount };
}

function buildQueryPools(
  judgments: readonly GradedPairInput[],
  trueGrades: ReadonlyMap<string, Grade> | undefined,
  clickProbability: Readonly<Record<Grade, number>>,
  attractivenessNoise: number,
  rng: Rng,
): QueryPool[] {
  const byQuery = new Map<string, QueryPool>();
  for (const judgment of judgments) {
    let pool = byQuery.get(judgment.queryId);
    if (pool === undefined) {
      pool = { queryId: judgment.queryId, productIds: [], grades: [], attractiveness: [] };
      byQuery.set(judgment.queryId, pool);
    }
    const grade = trueGrades?.get(pairKey(judgment.queryId, judgment.productId)) ?? judgment.grade;
    const logit = Math.log(clickProbability[grade] / (1 - clickProbability[grade])) + attractivenessNoise * rng.normal();
    pool.productIds.push(judgment.productId);
    pool.grades.push(grade);
    pool.attractiveness.push(1 / (1 + Math.exp(-logit)));
  }
  return [...byQuery.values()];
}

/** Gives each query a Zipf share by a random frequency rank, so popularity does not follow input order. */
function assignQueryShares(queryCount: number, exponent: number, rng: Rng): Float64Array {
  const byRank = zipfProbabilities(queryCount, exponent); // [queries]
  const ranks = rng.shuffle(Array.from({ length: queryCount }, (_, i) => i));
  const shares = new Float64Array(queryCount); // [queries]
  for (let q = 0; q < queryCount; q++) shares[q] = byRank[ranks[q]!]!;
  return shares;
}

/**
 * Number of searches whose expected clicks per query equal the target. The expected clicks of one
 * search take the products in true-grade order, so they ignore ranking noise.
 * NOTE: with ranking noise the realised clicks per query come out somewhat lower than the target.
 */
function searchesForClickTarget(pools: readonly QueryPool[], queryShare: Float64Array, examination: Float64Array, meanClicksPerQuery: number): number {
  let clicksPerSearch = 0;
  pools.forEach((pool, q) => {
    const attractivenessByGrade = pool.grades.map((grade, i) => ({ grade, value: pool.attractiveness[i]! }));
    attractivenessByGrade.sort((a, b) => b.grade - a.grade);
    let expected = 0;
    for (let k = 0; k < Math.min(examination.length, attractivenessByGrade.length); k++) expected += examination[k]! * attractivenessByGrade[k]!.value;
    clicksPerSearch += queryShare[q]! * expected;
  });
  if (clicksPerSearch === 0) return 0;
  return Math.round((meanClicksPerQuery * pools.length) / clicksPerSearch);
}

function pickIndex(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

function rankProducts(pool: QueryPool, rankingNoise: number, rng: Rng): number[] {
  const scores = pool.grades.map((grade) => grade + rankingNoise * rng.normal());
  const order = scores.map((_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order;
}

/** Collects simulated events as a list, as aggregates, or both. */
class EngagementSink {
  private readonly events: EngagementEvent[] = [];
  private readonly aggregates = new Map<string, EngagementAggregate & { positionSum: number }>();

  constructor(
    private readonly output: "aggregates" | "events" | "both",
    private readonly windowStart: string,
    private readonly windowEnd: string,
  ) {}

  add(queryId: string, productId: string, type: EventType, position: number, timeMs: number, sessionId: string): void {
    if (this.output !== "aggregates") this.events.push({ queryId, productId, type, position, timeMs, sessionId });
    if (this.output === "events") return;
    const key = pairKey(queryId, productId);
    let aggregate = this.aggregates.get(key);
    if (aggregate === undefined) {
      aggregate = {
        queryId,
        productId,
        impressions: 0,
        clicks: 0,
        addToCarts: 0,
        purchases: 0,
        meanPosition: Number.NaN,
        positionCounts: new Map<number, PositionCount>(),
        windowStart: this.windowStart,
        windowEnd: this.windowEnd,
        positionSum: 0,
      };
      this.aggregates.set(key, aggregate);
    }
    if (type === "impression") {
      aggregate.impressions++;
      aggregate.positionSum += position;
      const counts = aggregate.positionCounts!;
      const entry = counts.get(position);
      if (entry === undefined) counts.set(position, { impressions: 1, clicks: 0 });
      else entry.impressions++;
    } else if (type === "click") {
      aggregate.clicks++;
      aggregate.positionCounts!.get(position)!.clicks++;
    } else if (type === "add_to_cart") {
      aggregate.addToCarts++;
    } else {
      aggregate.purchases++;
    }
  }

  result(): { aggregates?: EngagementAggregate[]; events?: EngagementEvent[] } {
    const result: { aggregates?: EngagementAggregate[]; events?: EngagementEvent[] } = {};
    if (this.output !== "aggregates") result.events = this.events;
    if (this.output !== "events") {
      result.aggregates = [...this.aggregates.values()].map(({ positionSum, ...aggregate }) => ({
        ...aggregate,
        meanPosition: positionSum / aggregate.impressions,
      }));
    }
    return result;
  }
}
