import { ConfigError, type ConfigIssue, type Dataset, MineRefineError, murmur3, type QuerySplit } from "@mine-refine/core";

export interface SplitOptions {
  /** Seed of the assignment. The same seed and query ids give the same split. */
  seed: number;
  /** Share of judged queries in the dev split, in [0, 1). */
  devFraction: number;
  /** Share of judged queries in the test split, in [0, 1). */
  testFraction: number;
}

/**
 * Splits the judged queries of a dataset into train, dev and test by query id. Adapters give one id
 * to every normalised query text, so a text never lands in two splits. Queries without a judgment go
 * into no split. The queries are ordered by `murmur3(id, seed)` and cut at `round(n * testFraction)`
 * and `round(n * devFraction)`, so the split sizes are exact and adding queries moves few others.
 * Each split lists its ids in ascending order.
 */
export function splitQueries(dataset: Dataset, options: SplitOptions): QuerySplit {
  validateSplitOptions(options);
  const judged = new Set(dataset.judgments.map((judgment) => judgment.queryId));
  const seed = options.seed >>> 0;
  const ordered = [...judged]
    .map((id) => ({ id, key: murmur3(id, seed) }))
    .sort((a, b) => a.key - b.key || compareStrings(a.id, b.id))
    .map((entry) => entry.id);

  const testCount = Math.round(ordered.length * options.testFraction);
  const devCount = Math.round(ordered.length * options.devFraction);
  return {
    test: ordered.slice(0, testCount).sort(compareStrings),
    dev: ordered.slice(testCount, testCount + devCount).sort(compareStrings),
    train: ordered.slice(testCount + devCount).sort(compareStrings),
  };
}

/** Orders by UTF-16 code units, independent of the locale, so splits are the same on every machine. */
function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function validateSplitOptions(options: SplitOptions): void {
  const issues: ConfigIssue[] = [];
  if (!Number.isSafeInteger(options.seed)) issues.push({ path: "seed", message: `expected an integer, received ${options.seed}` });
  for (const key of ["devFraction", "testFraction"] as const) {
    const value = options[key];
    if (!Number.isFinite(value) || value < 0 || value >= 1) issues.push({ path: key, message: `expected a fraction in [0, 1), received ${value}` });
  }
  if (issues.length === 0 && options.devFraction + options.testFraction >= 1) {
    issues.push({
      path: "testFraction",
      message: `devFraction + testFraction must be below 1 so that train keeps queries, received ${options.devFraction} + ${options.testFraction}`,
    });
  }
  if (issues.length > 0) throw new ConfigError("splitQueries options", issues);
}

/**
 * Returns the dataset restricted to the given queries and their judgments. The whole catalog stays,
 * because retrieval is evaluated over every product. An id that is not a query of the dataset raises
 * `unknown_query`, which usually means the split was made from another dataset.
 */
export function subsetDataset(dataset: Dataset, queryIds: Iterable<string>): Dataset {
  const selected = new Set(queryIds);
  const known = new Set(dataset.queries.map((query) => query.id));
  for (const id of selected) {
    if (!known.has(id)) {
      throw new MineRefineError("unknown_query", `The query id "${id}" is not in the dataset "${dataset.name}". Make the split from the same dataset, loaded with the same options.`);
    }
  }
  return {
    name: dataset.name,
    products: dataset.products,
    queries: dataset.queries.filter((query) => selected.has(query.id)),
    judgments: dataset.judgments.filter((judgment) => selected.has(judgment.queryId)),
  };
}
