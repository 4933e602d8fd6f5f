import type { Grade, Product } from "@mine-refine/core";
import type { GradedPair, JudgePair } from "../judge.js";

/** Builds a pair with a product that has only a title and the given fields. */
export function makePair(queryId: string, query: string, productId: string, title: string, fields: Record<string, string> = {}): JudgePair {
  const product: Product = { id: productId, title, fields };
  return { queryId, query, productId, product };
}

export function makeGradedPair(pair: JudgePair, grade: Grade): GradedPair {
  return { ...pair, grade };
}
