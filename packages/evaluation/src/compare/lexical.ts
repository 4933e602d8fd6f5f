import type { Product } from "@mine-refine/core";
import { Bm25Index, type Bm25Options } from "../bm25.js";
import type { LexicalSystem } from "./systems.js";

/** Joins a product's title and the named fields into one text, in the given order; missing fields are skipped. */
export function productText(product: Product, fields: readonly string[]): string {
  const parts: string[] = [];
  for (const field of fields) {
    const value = field === "title" ? product.title : product.fields[field];
    if (value !== undefined && value !== "") parts.push(value);
  }
  return parts.join(" ");
}

/** Creates the BM25 baseline over product text, built in memory with `Bm25Index`. */
export function bm25System(options: { name?: string; fields?: readonly string[] } & Bm25Options = {}): LexicalSystem {
  const fields = options.fields ?? ["title", "brand"];
  return {
    kind: "lexical",
    name: options.name ?? "bm25",
    async index(products) {
      const index = new Bm25Index(
        products.map((product) => productText(product, fields)),
        options,
      );
      return {
        search: (query, k) => index.search(query.text, k),
        score: (query, productIndex) => index.score(query.text, productIndex),
      };
    },
  };
}

/** A full-text index such as `FullTextIndex` of `@mine-refine/mining/lancedb`, typed by shape only. */
export interface FullTextSearcher {
  /** Returns the `k` best documents as positions in the indexed array, best first. */
  search(query: string, k: number): Promise<{ index: number; score: number }[]>;
}

/**
 * Creates a lexical system over an external full-text index, such as LanceDB's BM25, built by
 * `createIndex` from the product texts. The index returns only top lists, so the score of one
 * product comes from a search whose limit is the catalog size: a product missing from that list
 * matches no query term and scores 0. The full list of the latest query is cached, because
 * judged products and fusion candidates are scored query by query.
 */
export function fullTextSystem(options: {
  name: string;
  fields?: readonly string[];
  createIndex(documents: string[]): Promise<FullTextSearcher>;
}): LexicalSystem {
  const fields = options.fields ?? ["title", "brand"];
  return {
    kind: "lexical",
    name: options.name,
    async index(products) {
      const searcher = await options.createIndex(products.map((product) => productText(product, fields)));
      let cached: { text: string; scores: Map<number, number> } | undefined;
      return {
        search: (query, k) => searcher.search(query.text, k),
        async score(query, productIndex) {
          if (cached?.text !== query.text) {
            const hits = await searcher.search(query.text, products.length);
            cached = { text: query.text, scores: new Map(hits.map((hit) => [hit.index, hit.score])) };
          }
          return cached.scores.get(productIndex) ?? 0;
        },
      };
    },
  };
}
