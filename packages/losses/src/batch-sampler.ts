/**
 * Groups training judgments into batches for the batch losses: several judged products per query,
 * no product twice in a batch, and a [Q, P] grade matrix filled from every known judgment.
 */
import {
  GRADE_IRRELEVANT,
  GRADE_MODERATE,
  GRADE_RELEVANT,
  type Grade,
  InternalError,
  type Judgment,
  MineRefineError,
  Rng,
  isGrade,
} from "@mine-refine/core";
import { OptionChecker } from "./options.js";
import { planCappedBatches } from "./synthetic-cap.js";
import { type TrainingBatch, UNJUDGED } from "./types.js";

/** The judgment fields the sampler reads. */
export type SamplerJudgment = Pick<Judgment, "queryId" | "productId" | "grade">;

export interface BatchSamplerOptions {
  /** Training judgments. Queries of other splits must already be removed. */
  judgments: readonly SamplerJudgment[];
  /** Queries per batch (Q, except in the last batch of an epoch, which takes the rest). */
  queriesPerBatch: number;
  /**
   * Judged products drawn per query. A query with fewer judged products contributes all of them,
   * so a batch has at most queriesPerBatch × productsPerQuery products.
   */
  productsPerQuery: number;
  /** Seed of every random choice. The same seed and judgments give the same batches. */
  seed: number;
  /** Passes over the queries: a positive integer, or Infinity for an endless sampler. Default 1. */
  epochs?: number;
  /**
   * Marks synthetic queries (template or language-model queries graded by a judge). Give it
   * together with `maxSyntheticShare`.
   */
  isSynthetic?: (queryId: string) => boolean;
  /**
   * Maximum share of synthetic queries in any batch, in [0, 1]. A batch of n queries contains at
   * most floor(maxSyntheticShare × n) of them. Real queries still appear once per epoch, and when the
   * synthetic ones do not all fit, each epoch draws its own random subset of them.
   */
  maxSyntheticShare?: number;
  /**
   * Batches queries of the same group together: each epoch shuffles the groups, shuffles the queries
   * within each group, and cuts the concatenation into batches. Products of a similar query are then
   * hard in-batch negatives (for example, group by the query's head noun). Unjudged cells still count
   * as negatives, so similar queries raise the risk of false negatives. Not combined with the
   * synthetic cap.
   */
  groupOf?: (queryId: string) => string;
}

/** An iterator of training batches that also reports the epoch size. */
export interface BatchSampler extends Generator<TrainingBatch, void, undefined> {
  /** Batches in one pass over the queries: ceil(queryCount / queriesPerBatch). */
  readonly batchesPerEpoch: number;
  /** Distinct queries among the judgments. */
  readonly queryCount: number;
  /** Synthetic queries used in each epoch: all of them without a cap, else as many as the cap admits. */
  readonly syntheticQueriesPerEpoch: number;
}

/** Grades tried in turn when drawing a query's products, so that each query draws a mix of grades. */
const DRAW_ORDER: readonly Grade[] = [GRADE_RELEVANT, GRADE_MODERATE, GRADE_IRRELEVANT];

interface QueryPool {
  /** Grade of each judged product of the query, by product id. */
  gradeByProduct: Map<string, Grade>;
  /** Judged product ids by grade, sorted so that the input order of judgments does not matter. */
  productsByGrade: Record<Grade, string[]>;
}

/**
 * Creates a seeded batch sampler.
 *
 * Each epoch shuffles the queries and cuts them into batches, so every query appears exactly once
 * per epoch. For each query of a batch the sampler shuffles its judged products within each grade
 * and draws them round-robin over relevant, moderate and irrelevant until it has `productsPerQuery`,
 * so a query with a relevant product always draws one.
 * A drawn product that an earlier query of the batch already added is not added again, but it
 * still counts toward the query's draw because the query's row shows its grade anyway. The grade
 * matrix then takes every judgment of each batch query for every batch product, from a lookup built
 * once.
 *
 * With `isSynthetic` and `maxSyntheticShare`, each epoch shuffles real and synthetic queries
 * separately and fills every batch up to the synthetic cap (see `planCappedBatches`), then shuffles
 * the queries within the batch.
 *
 * Raises a `ConfigError` for invalid options and a `MineRefineError` with code "invalid_judgments"
 * for an empty list, an unknown grade or one pair judged with two different grades, or when a
 * synthetic cap below 1 leaves no real query to pair the synthetic ones with.
 */
export function createBatchSampler(options: BatchSamplerOptions): BatchSampler {
  const { queriesPerBatch, productsPerQuery, seed, epochs = 1 } = options;
  const checker = new OptionChecker("batch sampler options");
  checker.number("queriesPerBatch", queriesPerBatch, { min: 1, integer: true });
  checker.number("productsPerQuery", productsPerQuery, { min: 1, integer: true });
  checker.number("seed", seed, { integer: true });
  if (epochs !== Number.POSITIVE_INFINITY) checker.number("epochs", epochs, { min: 1, integer: true });
  const { isSynthetic, maxSyntheticShare } = options;
  if ((isSynthetic === undefined) !== (maxSyntheticShare === undefined)) {
    checker.add(
      isSynthetic === undefined ? "isSynthetic" : "maxSyntheticShare",
      "isSynthetic and maxSyntheticShare go together: pass both to cap synthetic queries, or neither",
    );
  }
  if (maxSyntheticShare !== undefined) checker.number("maxSyntheticShare", maxSyntheticShare, { min: 0, max: 1 });
  if (options.groupOf !== undefined && isSynthetic !== undefined) {
    checker.add("groupOf", "groupOf cannot be combined with the synthetic cap (isSynthetic, maxSyntheticShare); pass one of them");
  }
  checker.throwIfAny();

  const pools = buildQueryPools(options.judgments);
  const queryIds = [...pools.keys()].sort();

  if (isSynthetic !== undefined && maxSyntheticShare !== undefined) {
    return createCappedSampler(pools, queryIds, options, isSynthetic, maxSyntheticShare);
  }

  const batchesPerEpoch = Math.ceil(queryIds.length / queriesPerBatch);
  function* generate(): Generator<TrainingBatch, void, undefined> {
    const root = new Rng(seed);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const rng = root.fork(`epoch ${epoch}`);
      const order = options.groupOf === undefined ? rng.shuffle([...queryIds]) : groupedOrder(queryIds, options.groupOf, rng);
      for (let start = 0; start < order.length; start += queriesPerBatch) {
        yield buildBatch(order.slice(start, start + queriesPerBatch), pools, productsPerQuery, rng);
      }
    }
  }

  return Object.assign(generate(), { batchesPerEpoch, queryCount: queryIds.length, syntheticQueriesPerEpoch: 0 });
}

/** Shuffles the groups, then the queries within each group, and concatenates them. */
function groupedOrder(queryIds: readonly string[], groupOf: (queryId: string) => string, rng: Rng): string[] {
  const groups = new Map<string, string[]>();
  for (const id of queryIds) {
    const key = groupOf(id);
    let members = groups.get(key);
    if (members === undefined) {
      members = [];
      groups.set(key, members);
    }
    members.push(id);
  }
  const keys = rng.shuffle([...groups.keys()].sort());
  return keys.flatMap((key) => rng.shuffle(groups.get(key)!));
}

function createCappedSampler(
  pools: Map<string, QueryPool>,
  queryIds: readonly string[],
  options: BatchSamplerOptions,
  isSynthetic: (queryId: string) => boolean,
  maxSyntheticShare: number,
): BatchSampler {
  const { queriesPerBatch, productsPerQuery, seed, epochs = 1 } = options;
  const realIds = queryIds.filter((id) => !isSynthetic(id));
  const syntheticIds = queryIds.filter((id) => isSynthetic(id));
  const plan = planCappedBatches(realIds.length, syntheticIds.length, queriesPerBatch, maxSyntheticShare);
  if (plan.length === 0) {
    throw new MineRefineError(
      "invalid_judgments",
      `Batch sampler: all ${syntheticIds.length} queries are synthetic, so maxSyntheticShare ${maxSyntheticShare} admits none of them. Add real training queries or raise maxSyntheticShare to 1.`,
    );
  }
  const syntheticQueriesPerEpoch = plan.reduce((sum, counts) => sum + counts.synthetic, 0);

  function* generate(): Generator<TrainingBatch, void, undefined> {
    const root = new Rng(seed);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const rng = root.fork(`epoch ${epoch}`);
      const realOrder = rng.shuffle([...realIds]);
      const syntheticOrder = rng.shuffle([...syntheticIds]);
      let realStart = 0;
      let syntheticStart = 0;
      for (const counts of plan) {
        const batchIds = [
          ...realOrder.slice(realStart, realStart + counts.real),
          ...syntheticOrder.slice(syntheticStart, syntheticStart + counts.synthetic),
        ];
        realStart += counts.real;
        syntheticStart += counts.synthetic;
        yield buildBatch(rng.shuffle(batchIds), pools, productsPerQuery, rng);
      }
    }
  }

  return Object.assign(generate(), { batchesPerEpoch: plan.length, queryCount: queryIds.length, syntheticQueriesPerEpoch });
}

function buildQueryPools(judgments: readonly SamplerJudgment[]): Map<string, QueryPool> {
  if (judgments.length === 0) {
    throw new MineRefineError("invalid_judgments", "Batch sampler: the judgment list is empty. Pass the training split's judgments.");
  }

  const pools = new Map<string, QueryPool>();
  judgments.forEach((judgment, index) => {
    const { queryId, productId, grade } = judgment;
    if (!isGrade(grade)) {
      throw new MineRefineError(
        "invalid_judgments",
        `Batch sampler: judgment ${index} (query "${queryId}", product "${productId}") has grade ${JSON.stringify(grade)}, expected 0, 1 or 2. Map raw labels to grades before sampling.`,
      );
    }
    let pool = pools.get(queryId);
    if (pool === undefined) {
      pool = {
        gradeByProduct: new Map(),
        productsByGrade: { [GRADE_IRRELEVANT]: [], [GRADE_MODERATE]: [], [GRADE_RELEVANT]: [] },
      };
      pools.set(queryId, pool);
    }
    const previous = pool.gradeByProduct.get(productId);
    if (previous === undefined) {
      pool.gradeByProduct.set(productId, grade);
      pool.productsByGrade[grade].push(productId);
    } else if (previous !== grade) {
      throw new MineRefineError(
        "invalid_judgments",
        `Batch sampler: query "${queryId}" and product "${productId}" are judged both ${previous} and ${grade} (judgment ${index}). Resolve the conflict, for example by auditing the pair, before sampling.`,
      );
    }
  });

  for (const pool of pools.values()) {
    for (const grade of DRAW_ORDER) pool.productsByGrade[grade].sort();
  }
  return pools;
}

function buildBatch(queryIds: readonly string[], pools: Map<string, QueryPool>, productsPerQuery: number, rng: Rng): TrainingBatch {
  const productIds: string[] = [];
  const productIndex = new Map<string, number>();

  for (const queryId of queryIds) {
    for (const productId of drawProducts(poolOf(pools, queryId), productsPerQuery, rng)) {
      if (productIndex.has(productId)) continue;
      productIndex.set(productId, productIds.length);
      productIds.push(productId);
    }
  }

  const numProducts = productIds.length;
  const grades = new Int8Array(queryIds.length * numProducts).fill(UNJUDGED); // [Q, P]
  queryIds.forEach((queryId, i) => {
    for (const [productId, grade] of poolOf(pools, queryId).gradeByProduct) {
      const j = productIndex.get(productId);
      if (j !== undefined) grades[i * numProducts + j] = grade;
    }
  });
  return { queryIds: [...queryIds], productIds, grades };
}

/** Draws up to `count` judged products of a query, round-robin over the grades in DRAW_ORDER. */
function drawProducts(pool: QueryPool, count: number, rng: Rng): string[] {
  const queues = DRAW_ORDER.map((grade) => rng.shuffle([...pool.productsByGrade[grade]]));
  const drawn: string[] = [];
  let position = 0;
  while (drawn.length < count) {
    let tookAny = false;
    for (const queue of queues) {
      const productId = queue[position];
      if (productId === undefined) continue;
      drawn.push(productId);
      tookAny = true;
      if (drawn.length === count) break;
    }
    if (!tookAny) break;
    position++;
  }
  return drawn;
}

function poolOf(pools: Map<string, QueryPool>, queryId: string): QueryPool {
  const pool = pools.get(queryId);
  if (pool === undefined) throw new InternalError(`batch sampler has no pool for query "${queryId}"`);
  return pool;
}
