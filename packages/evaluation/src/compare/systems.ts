import type { Dataset, Grade, Product, Query } from "@mine-refine/core";

/** A retriever that embeds queries and products into one space; scores are dot products (cosines). */
export interface DenseSystem {
  kind: "dense";
  name: string;
  dim: number;
  /** Returns [queries, dim] embeddings. */
  embedQueries(queries: Query[]): Promise<Float32Array>;
  /** Returns [products, dim] embeddings. */
  embedProducts(products: Product[]): Promise<Float32Array>;
}

/** A retriever that ranks the catalog by a lexical score such as BM25. */
export interface LexicalSystem {
  kind: "lexical";
  name: string;
  /** Builds the index over the catalog, once per evaluation. */
  index(products: Product[]): Promise<LexicalIndex>;
}

/** A built lexical index. Both methods may be asynchronous, as LanceDB's full-text search is. */
export interface LexicalIndex {
  /** Returns the `k` best products as positions in the catalog array, best first. */
  search(query: Query, k: number): LexicalHit[] | Promise<LexicalHit[]>;
  /** Returns the score of one product; a product that matches no query term scores 0. */
  score(query: Query, productIndex: number): number | Promise<number>;
}

export interface LexicalHit {
  index: number;
  score: number;
}

/** A blend of two systems evaluated after both have run (hybrid retrieval). */
export interface HybridSystem {
  kind: "hybrid";
  name: string;
  dense: string;
  lexical: string;
  method: "rrf" | "weighted";
  /** Weight of the dense score in a weighted blend; chosen on the dev split when undefined. */
  denseWeight?: number;
}

export type RetrievalSystem = DenseSystem | LexicalSystem | HybridSystem;

/** Retrieved lists and the scores of judged pairs of one system on one split. */
export interface SystemRun {
  name: string;
  /** Ranked product ids per query id, full-catalog retrieval, best first. */
  rankings: Map<string, string[]>;
  /** Scores of each query's judged products, for re-ranking metrics and grade separation. */
  judgedScores: Map<string, Map<string, number>>;
  /** Ranked (product id, score) per query id, kept for fusion. */
  scoredRankings: Map<string, { productId: string; score: number }[]>;
  /**
   * Computes the system's exact score of any catalog product for a query of the run, from the kept
   * embeddings or lexical index. Hybrid fusion uses it so that no candidate lacks a score. Absent on
   * runs that were not produced by `runSystems`, such as fused runs.
   */
  scoreProducts?(queryId: string, productIds: readonly string[]): Promise<number[]>;
}

/** Judgments of the given queries as `queryId → productId → grade`. */
export function buildQrels(dataset: Dataset, queryIds: Iterable<string>): Map<string, Map<string, Grade>> {
  const wanted = new Set(queryIds);
  const qrels = new Map<string, Map<string, Grade>>();
  for (const judgment of dataset.judgments) {
    if (!wanted.has(judgment.queryId)) continue;
    let row = qrels.get(judgment.queryId);
    if (row === undefined) {
      row = new Map();
      qrels.set(judgment.queryId, row);
    }
    row.set(judgment.productId, judgment.grade);
  }
  return qrels;
}
