import { type ConfigIssue, ConfigError, type Logger, type Product, normalizeText, silentLogger } from "@mine-refine/core";
import { extractProductFacets } from "./product-facets.js";
import {
  type ProductSelection,
  type SyntheticQuery,
  isSelected,
  syntheticQueryId,
  validateSelection,
} from "./synthetic-queries.js";

/** Sends one prompt to a language model and resolves to its text output. */
export type CompleteText = (prompt: string) => Promise<string>;

export interface GenerateLlmQueriesOptions {
  complete: CompleteText;
  /** Queries kept per product. The prompt requests this many. */
  maxPerProduct: number;
  /** Default: every product. */
  productsWithFewQueries?: ProductSelection;
  /** Texts never to emit, typically the real queries, compared after normalisation. */
  excludeTexts?: Iterable<string>;
  logger?: Logger;
}

/** A product for which the model produced no usable query. */
export interface LlmQueryFailure {
  productId: string;
  /** "completion_failed" when `complete` rejected, "no_queries" when no line of the output was usable. */
  code: "completion_failed" | "no_queries";
  message: string;
}

export interface GenerateLlmQueriesResult {
  queries: SyntheticQuery[];
  failures: LlmQueryFailure[];
}

/** Longer lines are taken for prose, not a query. */
const MAX_QUERY_CHARACTERS = 100;

const LANGUAGE_NAMES: Record<string, string> = { en: "English", es: "Spanish", ja: "Japanese" };

export function renderQueryPrompt(product: Product, count: number): string {
  const facets = extractProductFacets(product);
  const lines = [
    `Write ${count} different search queries that a shopper could type into an online store to find this product.`,
    `Write them in ${LANGUAGE_NAMES[facets.language] ?? "English"}, in lower case, the way people type into a search box.`,
    "Mix short queries that name only the product type with queries that add the brand, a size, a colour or another attribute.",
    "Reply with one query per line and nothing else: no numbering, no quotes, no explanations.",
    "",
    `Title: ${product.title}`,
  ];
  if (facets.brand !== undefined) lines.push(`Brand: ${facets.brand}`);
  if (facets.type !== undefined) lines.push(`Product type: ${facets.type}`);
  if (facets.attributes.length > 0) lines.push(`Attributes: ${facets.attributes.map((attribute) => attribute.text).join(", ")}`);
  return lines.join("\n");
}

/** Splits model output into query texts, removing list markers and quotes that models add despite the prompt. */
export function parseQueryLines(output: string): string[] {
  return output
    .split(/\r?\n/u)
    .map((line) =>
      line
        .replace(/^\s*(?:[-*•]|\d+[.)])\s*/u, "")
        .replace(/^["'“「]+|["'”」]+$/gu, "")
        .trim(),
    )
    .filter((line) => line.length > 0 && line.length <= MAX_QUERY_CHARACTERS);
}

/**
 * Requests queries from a language model for each selected product, one request at a time. A rejected
 * request or an output with no usable line becomes a failure record and a warning, never an exception,
 * so one bad output does not stop a long run.
 */
export async function generateLlmSyntheticQueries(
  products: readonly Product[],
  options: GenerateLlmQueriesOptions,
): Promise<GenerateLlmQueriesResult> {
  const issues: ConfigIssue[] = [];
  if (!Number.isInteger(options.maxPerProduct) || options.maxPerProduct < 1) {
    issues.push({ path: "maxPerProduct", message: `expected an integer >= 1, received ${options.maxPerProduct}` });
  }
  validateSelection(issues, options.productsWithFewQueries);
  if (issues.length > 0) throw new ConfigError("generateLlmSyntheticQueries options", issues);

  const logger = options.logger ?? silentLogger;
  const excluded = new Set([...(options.excludeTexts ?? [])].map(normalizeText));
  const queries: SyntheticQuery[] = [];
  const failures: LlmQueryFailure[] = [];

  // NOTE: requests run one after another. A catalog of thousands of products needs a concurrency limit here.
  for (const product of products) {
    if (!isSelected(product.id, options.productsWithFewQueries)) continue;

    let output: string;
    try {
      output = await options.complete(renderQueryPrompt(product, options.maxPerProduct));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ productId: product.id, code: "completion_failed", message });
      logger.log("warn", "Query generation request failed", { productId: product.id, error: message });
      continue;
    }

    const seen = new Set(excluded);
    const texts: string[] = [];
    for (const line of parseQueryLines(output)) {
      const text = normalizeText(line);
      if (seen.has(text)) continue;
      seen.add(text);
      texts.push(text);
    }

    if (texts.length === 0) {
      const message = `the output contained no usable query line: ${JSON.stringify(output.slice(0, 200))}`;
      failures.push({ productId: product.id, code: "no_queries", message });
      logger.log("warn", "Query generation returned no usable query", { productId: product.id });
      continue;
    }

    for (const text of texts.slice(0, options.maxPerProduct)) {
      queries.push({ queryId: syntheticQueryId(text), text, locale: product.locale, sourceProductId: product.id, template: "llm" });
    }
  }
  return { queries, failures };
}
