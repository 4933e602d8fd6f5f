import { type ConfigIssue, ConfigError, type Query, Rng, murmur3, normalizeText } from "@mine-refine/core";
import type { TypoGenerator } from "./typo-generator.js";

export interface PerturbQueriesOptions {
  seed: number;
  /** Probability that a query is chosen for misspelling, in [0, 1]. */
  ratio: number;
  /** Misspelled copies made of each chosen query, an integer >= 0. */
  copies: number;
  /** Draws per copy before giving up on a query whose perturbations keep matching the original. Default 8. */
  maxAttempts?: number;
}

/** A misspelled copy of a query. */
export interface PerturbedQuery {
  /** `${originalId}~typo${n}` with n counting the copies of that query from 1. */
  id: string;
  text: string;
  locale?: string;
  originalId: string;
}

/** Id of the n-th misspelled copy (counted from 1) of a query. */
export function typoQueryId(originalId: string, copy: number): string {
  return `${originalId}~typo${copy}`;
}

/**
 * Returns a generator for one query that depends only on the seed and the query id, so adding or
 * removing other queries does not change that query's typos.
 */
export function rngForQuery(seed: number, queryId: string): Rng {
  return new Rng(murmur3(queryId, seed >>> 0));
}

/**
 * Draws up to `copies` misspellings of a text that differ from it and from each other after
 * normalisation. A copy whose draws all match is skipped, so the result can be shorter than `copies`,
 * and it is empty for a text with no token long enough to edit.
 */
export function drawMisspellings(
  generator: TypoGenerator,
  query: Query,
  copies: number,
  rng: Rng,
  maxAttempts: number,
): string[] {
  const seen = new Set([normalizeText(query.text)]);
  const texts: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const text = generator.perturb(query.text, rng, query.locale);
      const key = normalizeText(text);
      if (seen.has(key)) continue;
      seen.add(key);
      texts.push(text);
      break;
    }
  }
  return texts;
}

export function validateCount(issues: ConfigIssue[], path: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    issues.push({ path, message: `expected an integer >= 0, received ${value}` });
  }
}

export function perturbQueries(
  generator: TypoGenerator,
  queries: readonly Query[],
  options: PerturbQueriesOptions,
): PerturbedQuery[] {
  const maxAttempts = options.maxAttempts ?? 8;
  const issues: ConfigIssue[] = [];
  if (!(options.ratio >= 0 && options.ratio <= 1)) {
    issues.push({ path: "ratio", message: `expected a share of queries in [0, 1], received ${options.ratio}` });
  }
  validateCount(issues, "copies", options.copies);
  validateCount(issues, "maxAttempts", maxAttempts);
  if (issues.length > 0) throw new ConfigError("perturbQueries options", issues);

  const perturbed: PerturbedQuery[] = [];
  for (const query of queries) {
    const rng = rngForQuery(options.seed, query.id);
    if (rng.next() >= options.ratio) continue;

    const texts = drawMisspellings(generator, query, options.copies, rng, maxAttempts);
    texts.forEach((text, index) => {
      const copy: PerturbedQuery = { id: typoQueryId(query.id, index + 1), text, originalId: query.id };
      if (query.locale !== undefined) copy.locale = query.locale;
      perturbed.push(copy);
    });
  }
  return perturbed;
}
