import { normalizeText, type Product, segmentWords } from "@mine-refine/core";
import { Bm25Index } from "@mine-refine/evaluation";
import { containsPhrase, extractColours, productBrand, productColourText } from "./attributes.js";
import type { JudgePair } from "./judge.js";
import { extractQuantities, quantitiesAgree } from "./quantities.js";

/** Features computed from text alone, in the order of the feature vector. */
export const LEXICAL_FEATURE_NAMES = [
  "word_jaccard",
  "query_word_coverage",
  "char3_jaccard",
  "bm25_title_per_query_max",
  "query_has_quantity",
  "quantity_agreement",
  "quantity_conflict",
  "brand_agreement",
  "brand_conflict",
  "query_has_colour",
  "colour_agreement",
  "colour_conflict",
] as const;

/** Feature appended when a two-tower scorer is given. */
export const COSINE_FEATURE_NAME = "two_tower_cosine";

/** Scores a (query, product) pair with a two-tower model; expected in [-1, 1]. */
export type CosineScorer = (query: string, product: Product) => number;

export interface FeatureContext {
  /** Normalised brand names that the brand features look for in queries. */
  brands: readonly string[];
  cosine?: CosineScorer;
}

/** Returns the feature names for a context, in vector order. */
export function featureNames(withCosine: boolean): string[] {
  return withCosine ? [...LEXICAL_FEATURE_NAMES, COSINE_FEATURE_NAME] : [...LEXICAL_FEATURE_NAMES];
}

/**
 * Computes the feature matrix of a batch of pairs, [pairs, features] row-major, in the order of
 * `featureNames`. The BM25 feature indexes the distinct product titles of the batch and divides each
 * score by the highest score among the same query's pairs, so 1 marks the query's best title.
 *
 * NOTE: BM25 statistics come from the batch, so one pair's BM25 feature depends on the other pairs
 * of its query in the batch; grade a query's candidates together, as the training data groups them.
 */
export function computeFeatures(pairs: readonly JudgePair[], context: FeatureContext): { names: string[]; values: Float64Array } {
  const names = featureNames(context.cosine !== undefined);
  const width = names.length;
  const values = new Float64Array(pairs.length * width); // [pairs, features]
  const bm25 = batchBm25(pairs);
  const brandIndex = new BrandIndex(context.brands);

  pairs.forEach((pair, row) => {
    const query = normalizeText(pair.query);
    const title = normalizeText(pair.product.title);
    const queryWords = new Set(segmentWords(query));
    const titleWords = new Set(segmentWords(title));
    const productText = `${pair.product.title} ${Object.values(pair.product.fields).join(" ")}`;

    const quantity = quantityFeatures(pair.query, productText);
    const brand = brandFeatures(query, title, pair.product, brandIndex);
    const colour = colourFeatures(pair.query, productColourText(pair.product));
    const features = [
      jaccard(queryWords, titleWords),
      queryWords.size === 0 ? 0 : intersectionSize(queryWords, titleWords) / queryWords.size,
      jaccard(characterTrigrams(query), characterTrigrams(title)),
      bm25[row] ?? 0,
      quantity.queryHasQuantity,
      quantity.agreement,
      quantity.conflict,
      brand.agreement,
      brand.conflict,
      colour.queryHasColour,
      colour.agreement,
      colour.conflict,
    ];
    if (context.cosine !== undefined) features.push(context.cosine(pair.query, pair.product));
    values.set(features, row * width);
  });
  return { names, values };
}

/** BM25 of each pair's title over the batch's distinct titles, divided by the maximum of the pair's query. */
function batchBm25(pairs: readonly JudgePair[]): Float64Array {
  const titleIndexById = new Map<string, number>();
  const titles: string[] = [];
  for (const pair of pairs) {
    if (titleIndexById.has(pair.productId)) continue;
    titleIndexById.set(pair.productId, titles.length);
    titles.push(pair.product.title);
  }
  const index = new Bm25Index(titles);
  const scores = pairs.map((pair) => index.score(pair.query, titleIndexById.get(pair.productId) as number));
  const maxByQuery = new Map<string, number>();
  pairs.forEach((pair, i) => {
    maxByQuery.set(pair.queryId, Math.max(maxByQuery.get(pair.queryId) ?? 0, scores[i] ?? 0));
  });
  return Float64Array.from(pairs, (pair, i) => {
    const max = maxByQuery.get(pair.queryId) ?? 0;
    return max > 0 ? (scores[i] ?? 0) / max : 0;
  });
}

/**
 * Share of the query's quantities that the product text states too, and a conflict flag when the
 * query states a quantity whose unit the product uses with other values only ("10 ft" against "25 ft").
 */
function quantityFeatures(query: string, productText: string): { queryHasQuantity: number; agreement: number; conflict: number } {
  const wanted = extractQuantities(query);
  if (wanted.length === 0) return { queryHasQuantity: 0, agreement: 0, conflict: 0 };
  const offered = extractQuantities(productText);
  let agreed = 0;
  let conflict = 0;
  for (const quantity of wanted) {
    if (offered.some((other) => quantitiesAgree(quantity, other))) {
      agreed++;
    } else if (quantity.unit !== "" && offered.some((other) => other.unit === quantity.unit)) {
      conflict = 1;
    }
  }
  return { queryHasQuantity: 1, agreement: agreed / wanted.length, conflict };
}

/**
 * Brand agreement: the product's brand (its brand field, or else a known brand in its title) occurs in
 * the query. Brand conflict: the query names a known brand and the product's brand is another one.
 */
function brandFeatures(query: string, title: string, product: Product, brands: BrandIndex): { agreement: number; conflict: number } {
  const brand = productBrand(product) ?? brands.find(title)[0];
  const queryBrands = brands.find(query);
  const agreement = brand !== undefined && containsPhrase(query, brand) ? 1 : 0;
  const conflict = agreement === 0 && queryBrands.length > 0 && brand !== undefined && !queryBrands.includes(brand) ? 1 : 0;
  return { agreement, conflict };
}

function colourFeatures(query: string, productText: string): { queryHasColour: number; agreement: number; conflict: number } {
  const wanted = extractColours(query);
  if (wanted.size === 0) return { queryHasColour: 0, agreement: 0, conflict: 0 };
  const offered = extractColours(productText);
  const agreement = intersectionSize(wanted, offered) > 0 ? 1 : 0;
  const conflict = agreement === 0 && offered.size > 0 ? 1 : 0;
  return { queryHasColour: 1, agreement, conflict };
}

/**
 * Finds known brands in normalised text. Brands are bucketed by their first word, so a lookup checks
 * only the brands that start with a word of the text instead of the whole list.
 */
class BrandIndex {
  private readonly byFirstWord = new Map<string, string[]>();

  constructor(brands: readonly string[]) {
    for (const brand of brands) {
      const first = segmentWords(brand)[0];
      if (first === undefined) continue;
      const bucket = this.byFirstWord.get(first) ?? [];
      bucket.push(brand);
      this.byFirstWord.set(first, bucket);
    }
  }

  /** Returns the known brands that occur in the text, in order of their first word. */
  find(text: string): string[] {
    const found: string[] = [];
    for (const word of new Set(segmentWords(text))) {
      for (const brand of this.byFirstWord.get(word) ?? []) {
        if (!found.includes(brand) && containsPhrase(text, brand)) found.push(brand);
      }
    }
    return found;
  }
}

function characterTrigrams(text: string): Set<string> {
  const padded = ` ${text} `;
  const grams = new Set<string>();
  const characters = [...padded];
  for (let i = 0; i + 3 <= characters.length; i++) grams.add(characters.slice(i, i + 3).join(""));
  return grams;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const shared = intersectionSize(a, b);
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

function intersectionSize(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let count = 0;
  for (const item of a) if (b.has(item)) count++;
  return count;
}
