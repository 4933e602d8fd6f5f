import type { Judgment, Product } from "@mine-refine/core";
import type { CosineScorer, GradedPair, JudgePair } from "@mine-refine/labeling";
import { loadCheckpoint } from "@mine-refine/model";
import { OrtMatmul } from "@mine-refine/model/ort";
import type { PreparedData } from "../stages/data.js";

/** Collects the judged pairs of the given queries with their grades, sorted by query id. */
export function gradedPairsOf(prepared: PreparedData, queryIds: readonly string[], judgments: readonly Judgment[] = prepared.dataset.judgments): GradedPair[] {
  const wanted = new Set(queryIds);
  return judgments
    .filter((judgment) => wanted.has(judgment.queryId))
    .sort((a, b) => compareIds(a.queryId, b.queryId))
    .map((judgment) => ({
      queryId: judgment.queryId,
      query: prepared.query(judgment.queryId).text,
      productId: judgment.productId,
      product: prepared.product(judgment.productId),
      grade: judgment.grade,
    }));
}

function compareIds(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * Splits pairs into batches of whole queries of about `maxPairs` pairs, because the local judge's
 * BM25 feature compares a pair with the other pairs of its query in the same batch.
 */
export function batchesByQuery<T extends JudgePair>(pairs: readonly T[], maxPairs: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    const startsQuery = i === 0 || pairs[i - 1]!.queryId !== pair.queryId;
    if (startsQuery && current.length >= maxPairs) {
      batches.push(current);
      current = [];
    }
    current.push(pair);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Embeds every query text and product of `pairs` with a Stage 1 checkpoint and returns a cosine
 * scorer over those embeddings for the local judge. A pair outside `pairs` scores 0.
 * NOTE: the scorer is synchronous, as the local judge calls it, so every pair it will score must be
 * passed here up front.
 */
export async function cosineScorerFromCheckpoint(checkpointDir: string, pairs: readonly JudgePair[], threads: number): Promise<CosineScorer> {
  const matmul = new OrtMatmul({ intraOpNumThreads: threads });
  try {
    const { encoder } = await loadCheckpoint(checkpointDir, { matmul });
    const texts = [...new Set(pairs.map((pair) => pair.query))];
    const products = new Map<string, Product>();
    for (const pair of pairs) products.set(pair.productId, pair.product);
    const dim = encoder.outputDim;
    const queryVectors = await encoder.encodeTexts(texts); // [texts, dim]
    const productVectors = await encoder.encodeProducts([...products.values()]); // [products, dim]
    const queryRow = new Map(texts.map((text, i) => [text, i]));
    const productRow = new Map([...products.keys()].map((id, i) => [id, i]));
    return (query, product) => {
      const q = queryRow.get(query);
      const p = productRow.get(product.id);
      if (q === undefined || p === undefined) return 0;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += queryVectors[q * dim + d]! * productVectors[p * dim + d]!;
      return dot;
    };
  } finally {
    await matmul.dispose();
  }
}
