import { type ConfigIssue, ConfigError, type Query, type Rng, isCjkWord } from "@mine-refine/core";
import { type KeyboardLayout, keyboardLayoutForLocale } from "./keyboard-layouts.js";
import { type PerturbQueriesOptions, type PerturbedQuery, perturbQueries } from "./perturb-queries.js";
import { type CjkEditKind, type LatinEditKind, applyCjkEdit, applyLatinEdit } from "./token-edits.js";

/** Edits between words. `mergeWords` drops the space after a token, joining it to the next one. */
export type WordEditKind = LatinEditKind | "mergeWords";

export interface TypoGeneratorOptions {
  /** Relative weights of the edits applied to tokens in alphabetic scripts. A kind with weight 0 never happens. */
  editWeights?: Partial<Record<WordEditKind, number>>;
  /** Relative weights of the edits applied to Han, kana and Hangul tokens. */
  cjkEditWeights?: Partial<Record<CjkEditKind, number>>;
  /**
   * Tokens with fewer code points get no edit of their own, because a slip in "tv" or "led" changes the
   * meaning. The token before one can still merge with it, as in "lamptv". Default 4.
   */
  minTokenLength?: number;
  /** The same threshold for CJK tokens, whose characters each carry more of the meaning. Default 2. */
  minCjkTokenLength?: number;
  /** Edit probability of a token of exactly the minimum length. Default 0.2. */
  baseProbability?: number;
  /** Added to the edit probability for each code point beyond the minimum length. Default 0.05. */
  probabilityPerExtraCharacter?: number;
  /** Cap on the edit probability of any token. Default 0.5. */
  maxProbability?: number;
  /** Leaves tokens containing a digit untouched, and never merges a word into one, so "18v" and "3/4" survive. Default true. */
  keepNumbers?: boolean;
  /** Layout for keyboard slips. By default the layout follows the locale passed to `perturb`. */
  layout?: KeyboardLayout;
}

export interface TypoGenerator {
  readonly options: Readonly<ResolvedTypoOptions>;
  /** Edits each eligible token with its length-dependent probability. The result may equal the input. */
  perturb(text: string, rng: Rng, locale?: string): string;
  /** Draws misspelled copies of a seeded random share of the queries. See `PerturbQueriesOptions`. */
  perturbQueries(queries: readonly Query[], options: PerturbQueriesOptions): PerturbedQuery[];
}

export type ResolvedTypoOptions = Required<Omit<TypoGeneratorOptions, "layout" | "editWeights" | "cjkEditWeights">> & {
  layout: KeyboardLayout | undefined;
  editWeights: Record<WordEditKind, number>;
  cjkEditWeights: Record<CjkEditKind, number>;
};

const DEFAULT_EDIT_WEIGHTS: Record<WordEditKind, number> = {
  substitution: 0.3,
  deletion: 0.2,
  insertion: 0.15,
  transposition: 0.15,
  doubling: 0.1,
  mergeWords: 0.05,
  splitWord: 0.05,
};

const DEFAULT_CJK_EDIT_WEIGHTS: Record<CjkEditKind, number> = { drop: 0.4, repeat: 0.3, kanaSwap: 0.3 };

const DIGIT = /\p{Nd}/u;

export function createTypoGenerator(options: TypoGeneratorOptions = {}): TypoGenerator {
  const resolved = resolveOptions(options);
  const generator: TypoGenerator = {
    options: resolved,
    perturb: (text, rng, locale) => perturbText(text, rng, locale, resolved),
    perturbQueries: (queries, queryOptions) => perturbQueries(generator, queries, queryOptions),
  };
  return generator;
}

function resolveOptions(options: TypoGeneratorOptions): ResolvedTypoOptions {
  const resolved: ResolvedTypoOptions = {
    editWeights: { ...DEFAULT_EDIT_WEIGHTS, ...options.editWeights },
    cjkEditWeights: { ...DEFAULT_CJK_EDIT_WEIGHTS, ...options.cjkEditWeights },
    minTokenLength: options.minTokenLength ?? 4,
    minCjkTokenLength: options.minCjkTokenLength ?? 2,
    baseProbability: options.baseProbability ?? 0.2,
    probabilityPerExtraCharacter: options.probabilityPerExtraCharacter ?? 0.05,
    maxProbability: options.maxProbability ?? 0.5,
    keepNumbers: options.keepNumbers ?? true,
    layout: options.layout,
  };

  const issues: ConfigIssue[] = [];
  for (const [group, weights] of [
    ["editWeights", resolved.editWeights],
    ["cjkEditWeights", resolved.cjkEditWeights],
  ] as const) {
    for (const [kind, weight] of Object.entries(weights)) {
      if (!Number.isFinite(weight) || weight < 0) {
        issues.push({ path: `${group}.${kind}`, message: `expected a finite weight >= 0, received ${weight}` });
      }
    }
  }
  const totalWeight = [...Object.values(resolved.editWeights), ...Object.values(resolved.cjkEditWeights)].reduce(
    (sum, weight) => sum + weight,
    0,
  );
  if (issues.length === 0 && totalWeight === 0) {
    issues.push({ path: "editWeights", message: "every edit weight is 0, so no typo could ever be made. Give at least one edit a positive weight" });
  }
  for (const key of ["minTokenLength", "minCjkTokenLength"] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1) {
      issues.push({ path: key, message: `expected an integer >= 1, received ${value}` });
    }
  }
  for (const key of ["baseProbability", "probabilityPerExtraCharacter", "maxProbability"] as const) {
    const value = resolved[key];
    if (!(value >= 0 && value <= 1)) {
      issues.push({ path: key, message: `expected a probability in [0, 1], received ${value}` });
    }
  }
  if (issues.length > 0) throw new ConfigError("typo generator options", issues);
  return resolved;
}

/** Probability that a token of `length` code points gets an edit: 0 below the minimum, then a capped linear rise. */
export function tokenEditProbability(length: number, minLength: number, options: ResolvedTypoOptions): number {
  if (length < minLength) return 0;
  const rising = options.baseProbability + options.probabilityPerExtraCharacter * (length - minLength);
  return Math.min(options.maxProbability, rising);
}

/** Picks a kind in proportion to its weight, or undefined when every weight is 0. */
function pickWeighted<K extends string>(weights: ReadonlyMap<K, number>, rng: Rng): K | undefined {
  let total = 0;
  for (const weight of weights.values()) total += weight;
  if (total <= 0) return undefined;

  let target = rng.next() * total;
  let last: K | undefined;
  for (const [kind, weight] of weights) {
    if (weight <= 0) continue;
    last = kind;
    target -= weight;
    if (target < 0) return kind;
  }
  // Rounding can leave target a hair above 0 after the last kind.
  return last;
}

function perturbText(text: string, rng: Rng, locale: string | undefined, options: ResolvedTypoOptions): string {
  // NFC composes "n" + combining tilde into "ñ", so the layout maps see one key per letter.
  const normalized = text.normalize("NFC");
  const leading = /^\s*/u.exec(normalized)![0];
  const trailing = /\s*$/u.exec(normalized.slice(leading.length))![0];
  const body = normalized.slice(leading.length, normalized.length - trailing.length);
  if (body.length === 0) return normalized;

  const tokens = body.split(/\s+/u);
  const separators = body.match(/\s+/gu) ?? [];
  const layout = options.layout ?? keyboardLayoutForLocale(locale);
  const keepsNumber = (token: string): boolean => options.keepNumbers && DIGIT.test(token);

  let output = "";
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const separator = separators[i] ?? "";
    const chars = Array.from(token);
    const cjk = isCjkWord(token);
    const probability = tokenEditProbability(chars.length, cjk ? options.minCjkTokenLength : options.minTokenLength, options);

    if (keepsNumber(token) || probability === 0 || rng.next() >= probability) {
      output += token + separator;
      continue;
    }

    if (cjk) {
      output += editCjkToken(chars, rng, options) + separator;
      continue;
    }

    const next = tokens[i + 1];
    const canMerge = next !== undefined && !keepsNumber(next) && !isCjkWord(next);
    const edited = editLatinToken(chars, rng, layout, options, canMerge);
    if (edited === "merge") {
      // The next token is appended without its leading space and is not edited on its own.
      output += token + next + (separators[i + 1] ?? "");
      i++;
    } else {
      output += edited + separator;
    }
  }
  return leading + output + trailing;
}

function editLatinToken(
  chars: readonly string[],
  rng: Rng,
  layout: KeyboardLayout,
  options: ResolvedTypoOptions,
  canMerge: boolean,
): string | "merge" {
  const weights = new Map(Object.entries(options.editWeights) as [WordEditKind, number][]);
  if (!canMerge) weights.delete("mergeWords");

  // A kind that finds no place in this token is removed and another is drawn.
  for (;;) {
    const kind = pickWeighted(weights, rng);
    if (kind === undefined) return chars.join("");
    if (kind === "mergeWords") return "merge";
    const edited = applyLatinEdit(kind, chars, rng, layout);
    if (edited !== undefined) return edited.join("");
    weights.delete(kind);
  }
}

function editCjkToken(chars: readonly string[], rng: Rng, options: ResolvedTypoOptions): string {
  const weights = new Map(Object.entries(options.cjkEditWeights) as [CjkEditKind, number][]);
  for (;;) {
    const kind = pickWeighted(weights, rng);
    if (kind === undefined) return chars.join("");
    const edited = applyCjkEdit(kind, chars, rng);
    if (edited !== undefined) return edited.join("");
    weights.delete(kind);
  }
}
