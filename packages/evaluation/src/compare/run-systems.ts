import type { Dataset, ProgressCallback, Query } from "@mine-refine/core";
import { exactTopK } from "../exact-top-k.js";
import type { DenseSystem, LexicalSystem, SystemRun } from "./systems.js";

/**
 * Runs dense and lexical systems over the whole catalog for the given queries: top-`maxK` lists
 * per query and the score of every judged (query, product) pair.
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
  const productIndex = new Map(dataset.products.map((product, i) => [product.id, i]));

  const runs: SystemRun[] = [];
  for (const system of systems) {
    runs.push(
      system.kind === "dense"
        ? await runDense(system, dataset, queries, judgedByQuery, productIndex, options)
        : await runLexical(system, dataset, queries, judgedByQuery, productIndex, options),
    );
  }
  return runs;
}

async function runDense(
  system: DenseSystem,
  dataset: Dataset,
  queries: Query[],
  judgedByQuery: Map<string, string[]>,
  productIndex: Map<string, number>,
  options: { maxK: number; progress?: ProgressCallback },
): Promise<SystemRun> {
  const dim = system.dim;
  const productVectors = await system.embedProducts(dataset.products); // [products, dim]
  const queryVectors = await system.embedQueries(queries); // [queries, dim]
  const top = exactTopK(queryVectors, productVectors, dim, options.maxK, { progress: options.progress });
  const k = top.indices.length / Math.max(1, queries.length);

  const run = emptyRun(system.name);
  queries.forEach((query, q) => {
    const ranked: { productId: string; score: number }[] = [];
    for (let r = 0; r < k; r++) {
      const index = top.indices[q * k + r]!;
      if (index < 0) break;
      ranked.push({ productId: dataset.products[index]!.id, score: top.scores[q * k + r]! });
    }
    run.scoredRankings.set(query.id, ranked);
    run.rankings.set(query.id, ranked.map((item) => item.productId));

    const scores = new Map<string, number>();
    for (const productId of judgedByQuery.get(query.id) ?? []) {
      const p = productIndex.get(productId);
      if (p === undefined) continue;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += queryVectors[q * dim + d]! * productVectors[p * dim + d]!;
      scores.set(productId, dot);
    }
    run.judgedScores.set(query.id, scores);
  });
  return run;
}

async function runLexical(
  system: LexicalSystem,
  dataset: Dataset,
  queries: Query[],
  judgedByQuery: Map<string, string[]>,
  productIndex: Map<string, number>,
  options: { maxK: number; progress?: ProgressCallback },
): Promise<SystemRun> {
  const index = await system.index(dataset.products);
  const run = emptyRun(system.name);
  queries.forEach((query, q) => {
    const hits = index.search(query, options.maxK);
    const ranked = hits.map((hit) => ({ productId: dataset.products[hit.index]!.id, score: hit.score }));
    run.scoredRankings.set(query.id, ranked);
    run.rankings.set(query.id, ranked.map((item) => item.productId));
    const scores = new Map<string, number>();
    for (const productId of judgedByQuery.get(query.id) ?? []) {
      const p = productIndex.get(productId);
      if (p !== undefined) scores.set(productId, index.score(query, p));
    }
    run.judgedScores.set(query.id, scores);
    options.progress?.({ task: `${system.name} search`, done: q + 1, total: queries.length });
  });
  return run;
}

function emptyRun(name: string): SystemRun {
  return { name, rankings: new Map(), judgedScores: new Map(), scoredRankings: new Map() };
}
