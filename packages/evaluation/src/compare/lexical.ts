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

/** The BM25 baseline over product text, built in memory with `Bm25Index`. */
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
