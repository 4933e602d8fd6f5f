import { type ConfigIssue, ConfigError, type Judgment, type Product, Rng, murmur3, normalizeText, stableId64 } from "@mine-refine/core";
import { type ProductAttribute, type ProductFacets, extractProductFacets } from "./product-facets.js";

/** Name of the template that wrote a synthetic query, listing the product parts it keeps. Every template keeps the type. */
export type SyntheticTemplate =
  | "type"
  | "brand+type"
  | "type+attribute"
  | "brand+type+attribute"
  | "type+two-attributes"
  | "llm";

export interface SyntheticQuery {
  /** `syn:` and a hash of the normalised text, so the same text from two products shares one id. */
  queryId: string;
  text: string;
  /** The source product's locale, undefined when the product has none. */
  locale: string | undefined;
  sourceProductId: string;
  template: SyntheticTemplate;
}

/**
 * Products to write queries for: an explicit set of product ids, or the products judged with fewer
 * than `threshold` distinct queries according to `judgedQueryCounts` (a product missing from the map
 * counts 0).
 */
export type ProductSelection = ReadonlySet<string> | { judgedQueryCounts: ReadonlyMap<string, number>; threshold: number };

export interface GenerateSyntheticQueriesOptions {
  seed: number;
  /** Queries kept per product, drawn at random from its template outputs. */
  maxPerProduct: number;
  /** Default: every product. */
  productsWithFewQueries?: ProductSelection;
  /** Texts never to emit, typically the real queries, compared after normalisation. */
  excludeTexts?: Iterable<string>;
}

/** Counts the distinct queries judged for each product, the input of a `ProductSelection` threshold. */
export function countJudgedQueries(judgments: readonly Judgment[]): Map<string, number> {
  const queriesByProduct = new Map<string, Set<string>>();
  for (const judgment of judgments) {
    const queries = queriesByProduct.get(judgment.productId) ?? new Set<string>();
    queries.add(judgment.queryId);
    queriesByProduct.set(judgment.productId, queries);
  }
  return new Map([...queriesByProduct].map(([productId, queries]) => [productId, queries.size]));
}

export function isSelected(productId: string, selection: ProductSelection | undefined): boolean {
  if (selection === undefined) return true;
  if ("judgedQueryCounts" in selection) return (selection.judgedQueryCounts.get(productId) ?? 0) < selection.threshold;
  return selection.has(productId);
}

export function syntheticQueryId(text: string): string {
  return `syn:${stableId64(normalizeText(text))}`;
}

export function validateSelection(issues: ConfigIssue[], selection: ProductSelection | undefined): void {
  if (selection !== undefined && "judgedQueryCounts" in selection && !Number.isFinite(selection.threshold)) {
    issues.push({ path: "productsWithFewQueries.threshold", message: `expected a finite number, received ${selection.threshold}` });
  }
}

/** Orders type and attribute the way shoppers of the language do: "18v drill" but "taladro 18v" and "ドリル 18v". */
function withAttributes(type: string, attributes: readonly ProductAttribute[], language: ProductFacets["language"]): string {
  const attributeText = attributes.map((attribute) => attribute.text).join(" ");
  return language === "en" ? `${attributeText} ${type}` : `${type} ${attributeText}`;
}

function templateCandidates(facets: ProductFacets): { text: string; template: SyntheticTemplate }[] {
  const { type, brand, attributes, language } = facets;
  if (type === undefined) return [];

  const candidates: { text: string; template: SyntheticTemplate }[] = [{ text: type, template: "type" }];
  if (brand !== undefined) candidates.push({ text: `${brand} ${type}`, template: "brand+type" });

  for (const attribute of attributes) {
    candidates.push({ text: withAttributes(type, [attribute], language), template: "type+attribute" });
    if (brand !== undefined) {
      const typed = withAttributes(type, [attribute], language);
      candidates.push({ text: `${brand} ${typed}`, template: "brand+type+attribute" });
    }
  }
  for (let i = 0; i < attributes.length; i++) {
    for (let j = i + 1; j < attributes.length; j++) {
      const pair = [attributes[i]!, attributes[j]!];
      candidates.push({ text: withAttributes(type, pair, language), template: "type+two-attributes" });
    }
  }
  return candidates;
}

/**
 * Writes template queries for products with few real queries. Each keeps the product type and drops
 * or keeps the brand and attributes read by `extractProductFacets`. A product without a recognisable
 * type gets no queries. The draws for one product depend only on the seed and its id.
 */
export function generateSyntheticQueries(
  products: readonly Product[],
  options: GenerateSyntheticQueriesOptions,
): SyntheticQuery[] {
  const issues: ConfigIssue[] = [];
  if (!Number.isInteger(options.maxPerProduct) || options.maxPerProduct < 0) {
    issues.push({ path: "maxPerProduct", message: `expected an integer >= 0, received ${options.maxPerProduct}` });
  }
  validateSelection(issues, options.productsWithFewQueries);
  if (issues.length > 0) throw new ConfigError("generateSyntheticQueries options", issues);

  const excluded = new Set([...(options.excludeTexts ?? [])].map(normalizeText));
  const queries: SyntheticQuery[] = [];

  for (const product of products) {
    if (!isSelected(product.id, options.productsWithFewQueries)) continue;

    const seen = new Set(excluded);
    const unique = templateCandidates(extractProductFacets(product)).filter((candidate) => {
      const key = normalizeText(candidate.text);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });

    const rng = new Rng(murmur3(product.id, options.seed >>> 0));
    for (const candidate of rng.shuffle(unique).slice(0, options.maxPerProduct)) {
      const text = normalizeText(candidate.text);
      queries.push({
        queryId: syntheticQueryId(text),
        text,
        locale: product.locale,
        sourceProductId: product.id,
        template: candidate.template,
      });
    }
  }
  return queries;
}
