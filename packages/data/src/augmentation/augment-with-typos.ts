import {
  type ConfigIssue,
  ConfigError,
  type Dataset,
  InputError,
  type Judgment,
  type Query,
} from "@mine-refine/core";
import { drawMisspellings, rngForQuery, typoQueryId, validateCount } from "./perturb-queries.js";
import { type TypoGenerator, createTypoGenerator } from "./typo-generator.js";

export interface AugmentWithTyposOptions {
  seed: number;
  /**
   * In "additive" mode, the expected number of misspelled copies per clean query. A fractional part
   * f gives each query one extra copy with probability f, so 1.5 means one or two copies. In "replace"
   * mode, the probability in [0, 1] that a query's text is replaced.
   */
  ratio: number;
  /**
   * "additive" keeps every clean query and adds misspelled copies with copied judgments. "replace"
   * rewrites the text of chosen queries in place and exists only for ablations, because the model
   * then never trains on those clean texts.
   */
  mode: "additive" | "replace";
  /** Default: `createTypoGenerator()` with its default options. */
  generator?: TypoGenerator;
  /** Draws per copy before a copy that keeps matching the original is skipped. Default 8. */
  maxAttempts?: number;
}

export interface AugmentWithTyposResult {
  /** A new dataset. The input dataset is not modified, but the product objects are shared. */
  dataset: Dataset;
  /** Ids of the misspelled copies added, in the order of `trainQueryIds`. Empty in "replace" mode. */
  addedQueryIds: string[];
  /**
   * Each misspelled query id to the id of its clean query. In "replace" mode a query keeps its id, so
   * the map sends each replaced id to itself.
   */
  mapping: Map<string, string>;
}

/**
 * Adds misspelled copies of training queries to a dataset, each with the judgments (grade and raw
 * label) of its clean query. Pass only training query ids: a misspelled copy of a dev or test query
 * would leak its judgments into training.
 */
export function augmentWithTypos(
  dataset: Dataset,
  trainQueryIds: readonly string[],
  options: AugmentWithTyposOptions,
): AugmentWithTyposResult {
  const maxAttempts = options.maxAttempts ?? 8;
  validateOptions(options, maxAttempts);
  const generator = options.generator ?? createTypoGenerator();

  const queriesById = new Map(dataset.queries.map((query) => [query.id, query]));
  const uniqueIds = [...new Set(trainQueryIds)];
  for (const id of uniqueIds) {
    if (!queriesById.has(id)) {
      throw new InputError(
        "unknown_query",
        { column: "trainQueryIds" },
        `query id "${id}" is not in dataset "${dataset.name}"`,
        "Pass the train split of this same dataset, for example from splitQueries",
      );
    }
  }

  if (options.mode === "replace") return replaceTexts(dataset, uniqueIds, queriesById, generator, options, maxAttempts);

  const judgmentsByQuery = groupJudgments(dataset.judgments);
  const wholeCopies = Math.floor(options.ratio);
  const extraCopyProbability = options.ratio - wholeCopies;
  const addedQueries: Query[] = [];
  const addedJudgments: Judgment[] = [];
  const mapping = new Map<string, string>();

  for (const id of uniqueIds) {
    const query = queriesById.get(id)!;
    const rng = rngForQuery(options.seed, id);
    const copies = wholeCopies + (rng.next() < extraCopyProbability ? 1 : 0);
    const texts = drawMisspellings(generator, query, copies, rng, maxAttempts);

    texts.forEach((text, index) => {
      const copyId = typoQueryId(id, index + 1);
      addedQueries.push({ ...query, id: copyId, text });
      for (const judgment of judgmentsByQuery.get(id) ?? []) {
        addedJudgments.push({ ...judgment, queryId: copyId });
      }
      mapping.set(copyId, id);
    });
  }

  return {
    dataset: {
      ...dataset,
      queries: [...dataset.queries, ...addedQueries],
      judgments: [...dataset.judgments, ...addedJudgments],
    },
    addedQueryIds: addedQueries.map((query) => query.id),
    mapping,
  };
}

function validateOptions(options: AugmentWithTyposOptions, maxAttempts: number): void {
  const issues: ConfigIssue[] = [];
  if (options.mode !== "additive" && options.mode !== "replace") {
    issues.push({ path: "mode", message: `expected "additive" or "replace", received ${JSON.stringify(options.mode)}` });
  }
  const maxRatio = options.mode === "replace" ? 1 : Number.POSITIVE_INFINITY;
  if (!(Number.isFinite(options.ratio) && options.ratio >= 0 && options.ratio <= maxRatio)) {
    const expected = options.mode === "replace" ? "a probability in [0, 1]" : "a finite number of copies >= 0";
    issues.push({ path: "ratio", message: `expected ${expected}, received ${options.ratio}` });
  }
  validateCount(issues, "maxAttempts", maxAttempts);
  if (issues.length > 0) throw new ConfigError("augmentWithTypos options", issues);
}

function groupJudgments(judgments: readonly Judgment[]): Map<string, Judgment[]> {
  const byQuery = new Map<string, Judgment[]>();
  for (const judgment of judgments) {
    const list = byQuery.get(judgment.queryId);
    if (list === undefined) byQuery.set(judgment.queryId, [judgment]);
    else list.push(judgment);
  }
  return byQuery;
}

/**
 * Replaces the text of each chosen query with one misspelling and keeps its id, so the split and the
 * judgments stay valid without rewriting.
 */
function replaceTexts(
  dataset: Dataset,
  ids: readonly string[],
  queriesById: ReadonlyMap<string, Query>,
  generator: TypoGenerator,
  options: AugmentWithTyposOptions,
  maxAttempts: number,
): AugmentWithTyposResult {
  const replacedTexts = new Map<string, string>();
  for (const id of ids) {
    const rng = rngForQuery(options.seed, id);
    if (rng.next() >= options.ratio) continue;
    const [text] = drawMisspellings(generator, queriesById.get(id)!, 1, rng, maxAttempts);
    if (text !== undefined) replacedTexts.set(id, text);
  }

  const queries = dataset.queries.map((query) => {
    const text = replacedTexts.get(query.id);
    return text === undefined ? query : { ...query, text };
  });
  const mapping = new Map([...replacedTexts.keys()].map((id) => [id, id]));
  return { dataset: { ...dataset, queries, judgments: [...dataset.judgments] }, addedQueryIds: [], mapping };
}
