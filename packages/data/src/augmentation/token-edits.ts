import type { Rng } from "@mine-refine/core";
import { KANA_CONFUSIONS } from "./kana-confusions.js";
import type { KeyboardLayout } from "./keyboard-layouts.js";

/**
 * Single-token edits. Each works on the code points of one token and returns the edited code points,
 * or undefined when the token offers no place for that edit (a transposition in "aaaa", say). Every
 * edit that returns a value changes the token.
 */

/** Edits of tokens in alphabetic scripts. `splitWord` returns a space inside the token. */
export type LatinEditKind = "substitution" | "deletion" | "insertion" | "transposition" | "doubling" | "splitWord";

/** Edits of Han, kana and Hangul tokens. */
export type CjkEditKind = "drop" | "repeat" | "kanaSwap";

const LETTER = /^\p{L}$/u;

function positionsWhere(chars: readonly string[], test: (char: string, index: number) => boolean): number[] {
  const positions: number[] = [];
  chars.forEach((char, index) => {
    if (test(char, index)) positions.push(index);
  });
  return positions;
}

/** Gives `replacement` the case of `original`, so a slip inside "DeWalt" keeps the capitals where they were. */
function matchCase(original: string, replacement: string): string {
  return original !== original.toLowerCase() ? replacement.toUpperCase() : replacement;
}

function neighboursOf(char: string, layout: KeyboardLayout): readonly string[] {
  return layout.neighbours.get(char.toLowerCase()) ?? [];
}

function withInsert(chars: readonly string[], index: number, inserted: string): string[] {
  return [...chars.slice(0, index), inserted, ...chars.slice(index)];
}

function withoutIndex(chars: readonly string[], index: number): string[] {
  return [...chars.slice(0, index), ...chars.slice(index + 1)];
}

function substitute(chars: readonly string[], rng: Rng, layout: KeyboardLayout): string[] | undefined {
  const positions = positionsWhere(chars, (char) => neighboursOf(char, layout).length > 0);
  if (positions.length === 0) return undefined;
  const index = rng.pick(positions);
  const original = chars[index]!;
  const edited = [...chars];
  edited[index] = matchCase(original, rng.pick(neighboursOf(original, layout)));
  return edited;
}

function deleteLetter(chars: readonly string[], rng: Rng): string[] | undefined {
  const positions = positionsWhere(chars, (char) => LETTER.test(char));
  if (positions.length === 0) return undefined;
  return withoutIndex(chars, rng.pick(positions));
}

/** Inserts a key adjacent to one of the token's letters, just before or just after that letter. */
function insertNeighbour(chars: readonly string[], rng: Rng, layout: KeyboardLayout): string[] | undefined {
  const positions = positionsWhere(chars, (char) => neighboursOf(char, layout).length > 0);
  if (positions.length === 0) return undefined;
  const index = rng.pick(positions);
  const original = chars[index]!;
  const inserted = matchCase(original, rng.pick(neighboursOf(original, layout)));
  return withInsert(chars, index + rng.int(2), inserted);
}

/** Swaps two neighbouring letters that differ, because swapping equal letters would change nothing. */
function transpose(chars: readonly string[], rng: Rng): string[] | undefined {
  const positions = positionsWhere(chars, (char, index) => {
    const next = chars[index + 1];
    return next !== undefined && LETTER.test(char) && LETTER.test(next) && next !== char;
  });
  if (positions.length === 0) return undefined;
  const index = rng.pick(positions);
  const edited = [...chars];
  edited[index] = chars[index + 1]!;
  edited[index + 1] = chars[index]!;
  return edited;
}

function doubleLetter(chars: readonly string[], rng: Rng): string[] | undefined {
  const positions = positionsWhere(chars, (char) => LETTER.test(char));
  if (positions.length === 0) return undefined;
  const index = rng.pick(positions);
  return withInsert(chars, index + 1, chars[index]!);
}

function splitWord(chars: readonly string[], rng: Rng): string[] | undefined {
  if (chars.length < 2) return undefined;
  return withInsert(chars, 1 + rng.int(chars.length - 1), " ");
}

export function applyLatinEdit(
  kind: LatinEditKind,
  chars: readonly string[],
  rng: Rng,
  layout: KeyboardLayout,
): string[] | undefined {
  switch (kind) {
    case "substitution":
      return substitute(chars, rng, layout);
    case "deletion":
      return deleteLetter(chars, rng);
    case "insertion":
      return insertNeighbour(chars, rng, layout);
    case "transposition":
      return transpose(chars, rng);
    case "doubling":
      return doubleLetter(chars, rng);
    case "splitWord":
      return splitWord(chars, rng);
  }
}

export function applyCjkEdit(kind: CjkEditKind, chars: readonly string[], rng: Rng): string[] | undefined {
  switch (kind) {
    case "drop":
      // Dropping the only character would erase the token, which is no longer a typo.
      return chars.length < 2 ? undefined : withoutIndex(chars, rng.int(chars.length));
    case "repeat": {
      if (chars.length === 0) return undefined;
      const index = rng.int(chars.length);
      return withInsert(chars, index + 1, chars[index]!);
    }
    case "kanaSwap": {
      const positions = positionsWhere(chars, (char) => KANA_CONFUSIONS.has(char));
      if (positions.length === 0) return undefined;
      const index = rng.pick(positions);
      const edited = [...chars];
      edited[index] = rng.pick(KANA_CONFUSIONS.get(chars[index]!)!);
      return edited;
    }
  }
}
