/**
 * Key adjacency for keyboard-slip typos. A layout is written as its rows of character keys with the
 * horizontal offset of each row's first key in key widths, as on a physical ISO keyboard. Two keys
 * are neighbours when they sit side by side in a row, or in adjacent rows with overlapping key caps.
 * Only letters enter the maps, so a slip never turns a word into a token with a digit or a symbol.
 */

export interface KeyboardLayout {
  name: string;
  /** Lower-case letter to the lower-case letters on the keys around it. */
  neighbours: ReadonlyMap<string, readonly string[]>;
}

interface KeyRow {
  /** Keys from left to right, one character each. */
  keys: string;
  /** Left edge of the first key, in key widths from the left edge of the keyboard. */
  offset: number;
}

/** US QWERTY, the letter rows only. The digit row is left out because only letters enter the maps. */
const QWERTY_ROWS: readonly KeyRow[] = [
  { keys: "qwertyuiop[]", offset: 1.5 },
  { keys: "asdfghjkl;'", offset: 1.75 },
  { keys: "zxcvbnm,./", offset: 2.25 },
];

/**
 * Spanish (Spain) ISO layout. The key left of Z is "<", and "´" and "ç" follow "ñ" on the home row.
 * "`" and "+" are the two keys right of P.
 */
const SPANISH_ROWS: readonly KeyRow[] = [
  { keys: "qwertyuiop`+", offset: 1.5 },
  { keys: "asdfghjklñ´ç", offset: 1.75 },
  { keys: "<zxcvbnm,.-", offset: 1.25 },
];

const LETTER = /^\p{L}$/u;

function buildNeighbours(rows: readonly KeyRow[]): Map<string, string[]> {
  const neighbours = new Map<string, string[]>();

  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const keys = Array.from(row.keys);

    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (!LETTER.test(key)) continue;
      const found: string[] = [];

      const left = keys[k - 1];
      const right = keys[k + 1];
      if (left !== undefined) found.push(left);
      if (right !== undefined) found.push(right);

      // A key in the row above or below touches this one when their left edges are less than one key width apart.
      const leftEdge = row.offset + k;
      for (const other of [rows[r - 1], rows[r + 1]]) {
        if (other === undefined) continue;
        Array.from(other.keys).forEach((otherKey, j) => {
          if (Math.abs(other.offset + j - leftEdge) < 1) found.push(otherKey);
        });
      }

      neighbours.set(
        key,
        found.filter((candidate) => LETTER.test(candidate)),
      );
    }
  }
  return neighbours;
}

export const QWERTY_LAYOUT: KeyboardLayout = { name: "qwerty-us", neighbours: buildNeighbours(QWERTY_ROWS) };
export const SPANISH_LAYOUT: KeyboardLayout = { name: "qwerty-es", neighbours: buildNeighbours(SPANISH_ROWS) };

/**
 * Chooses the layout for a BCP 47 locale: Spanish for "es" and its regional tags, US QWERTY otherwise.
 * Japanese users type romaji on JIS keyboards, whose letter keys sit where QWERTY has them.
 */
export function keyboardLayoutForLocale(locale: string | undefined): KeyboardLayout {
  const language = locale?.toLowerCase().split(/[-_]/u)[0];
  return language === "es" ? SPANISH_LAYOUT : QWERTY_LAYOUT;
}
