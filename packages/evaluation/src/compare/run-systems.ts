import type { Dataset, ProgressCallback, Query } from "@mine-refine/core";
import { exactTopK } from "../exact-top-k.js";
import type { DenseSystem, LexicalIndex, LexicalSystem, SystemRun } from "./systems.js";

/**
 * Runs dense and lexical systems over the whole catalog for the given queries: top-`maxK` lists
 * per query and the score of every judged (query, product) pair. Each run keeps its embeddings or
 * its index in `scoreProducts`, so hybrid fusion can score any candidate exactly.
 */
export async function runSystems(
  dataset: Dataset,
  queries: Query[],
  systems: (DenseSystem | LexicalSystem)[],
  options: { maxK: number; progress?: ProgressCallback },
): Promise<SystemRun[]> {
  const judgedByQuery = new Map<string, string[]>();
  for (const judgment of dataset.judgments) {
    let list = judgedByQuery.get(judgment.queryId);
    if (list === undefined) {
      list = [];
      judgedByQuery.set(judgment.queryId, list);
    }
    list.push(judgment.productId);
  }
  const catalog: Catalog = { dataset, productIndex: new Map(dataset.products.map((product, i) => [product.id, i])) };

  const runs: SystemRun[] = [];
  for (const system of systems) {
    const run =
      system.kind === "dense"
        ? rankDense(system.name, await denseScorer(system, dataset, queries), catalog, queries, options)
        : await rankLexical(system.name, { index: await system.index(dataset.products) }, catalog, queries, options);
    await scoreJudged(run, queries, judgedByQuery, catalog);
    runs.push(run);
  }
  return runs;
}

interface Catalog {
  dataset: Dataset;
  productIndex: Map<string, number>;
}

interface DenseScorer {
  dim: number;
  queryVectors: Float32Array; // [queries, dim]
  productVectors: Float32Array; // [products, dim]
}

interface LexicalScorer {
  index: LexicalIndex;
}

async function denseScorer(system: DenseSystem, dataset: Dataset, queries: Query[]): Promise<DenseScorer> {
  const productVectors = await system.embedProducts(dataset.products); // [products, dim]
  const queryVectors = await system.embedQueries(queries); // [queries, dim]
  return { dim: system.dim, queryVectors, productVectors };
}

function rankDense(
  name: string,
  scorer: DenseScorer,
  catalog: Catalog,
  queries: Query[],
  options: { maxK: number; progress?: ProgressCallback },
): SystemRun {
  const { dim, queryVectors, productVectors } = scorer;
  const top = exactTopK(queryVectors, productVectors, dim, options.maxK, { progress: options.progress });
  const k = top.indices.length / Math.max(1, queries.length);
  const queryPosition = new Map(queries.map((query, q) => [query.id, q]));

  const run = emptyRun(name);
  queries.forEach((query, q) => {
    const ranked: { productId: string; score: number }[] = [];
    for (let r = 0; r < k; r++) {
      const index = top.indices[q * k + r]!;
      if (index < 0) break;
      ranked.push({ productId: catalog.dataset.products[index]!.id, score: top.scores[q * k + r]! });
    }
    setRanking(run, query.id, ranked);
  });

  run.scoreProducts = async (queryId, productIds) => {
    const q = requirePosition(queryPosition, queryId, name);
    return productIds.map((productId) => {
      const p = requirePosition(catalog.productIndex, productId, name);
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += queryVectors[q * dim + d]! * productVectors[p * dim + d]!;
      return dot;
    });
  };
  return run;
}

async function rankLexical(
  name: string,
  scorer: LexicalScorer,
  catalog: Catalog,
  queries: Query[],
  options: { maxK: number; progress?: ProgressCallback },
): Promise<SystemRun> {
  const queryById = new Map(queries.map((query) => [query.id, query]));
  const run = emptyRun(name);
  for (let q = 0; q < queries.length; q++) {
    const query = queries[q]!;
    const hits = await scorer.index.search(query, options.maxK);
    setRanking(
      run,
      query.id,
      hits.map((hit) => ({ productId: catalog.dataset.products[hit.index]!.id, score: hit.score })),
    );
    options.progress?.({ task: `${name} search`, done: q + 1, total: queries.length });
  }

  run.scoreProducts = async (queryId, productIds) => {
    const query = queryById.get(queryId);
    if (query === undefined) throw new RangeError(`System "${name}" has no run for query "${queryId}"; score only queries given to runSystems`);
    const scores: number[] = [];
    for (const productId of productIds) {
      scores.push(await scorer.index.score(query, requirePosition(catalog.productIndex, productId, name)));
    }
    return scores;
  };
  return run;
}

/** Fills `judgedScores` with the run's own score of every judged product; products missing from the catalog are skipped. */
async function scoreJudged(run: SystemRun, queries: Query[], judgedByQuery: Map<string, string[]>, catalog: Catalog): Promise<void> {
  for (const query of queries) {
    const productIds = (judgedByQuery.get(query.id) ?? []).filter((productId) => catalog.productIndex.has(productId));
    const scores = await run.scoreProducts!(query.id, productIds);
    run.judgedScores.set(query.id, new Map(productIds.map((productId, i) => [productId, scores[i]!])));
  }
}

function requirePosition(positions: Map<string, number>, id: string, systemName: string): number {
  const position = positions.get(id);
  if (position === undefined) {
    throw new RangeError(`System "${systemName}" cannot score "${id}": it is not among the queries or products of the run`);
  }
  return position;
}

function setRanking(run: SystemRun, queryId: string, ranked: { productId: string; score: number }[]): void {
  run.scoredRankings.set(queryId, ranked);
  run.rankings.set(queryId, ranked.map((item) => item.productId));
}

export function emptyRun(name: string): SystemRun {
  return { name, rankings: new Map(), judgedScores: new Map(), scoredRankings: new Map() };
}
