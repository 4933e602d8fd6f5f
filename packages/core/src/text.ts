const segmenter = new Intl.Segmenter("und", { granularity: "word" });

/**
 * Normalises text for matching: Unicode NFKC (full-width letters and digits become ASCII, ligatures
 * split), case folding, and runs of white space collapsed to one space.
 */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/**
 * Splits normalised text into words with `Intl.Segmenter`, keeping only word-like segments (letters
 * or digits), so Japanese and Chinese without spaces are cut at dictionary word boundaries too.
 */
export function segmentWords(normalized: string): string[] {
  const words: string[] = [];
  for (const segment of segmenter.segment(normalized)) {
    if (segment.isWordLike) words.push(segment.segment);
  }
  return words;
}

/** Normalises and segments in one call. */
export function tokenize(text: string): string[] {
  return segmentWords(normalizeText(text));
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** True when the word contains a Han, Hiragana, Katakana or Hangul character. */
export function isCjkWord(word: string): boolean {
  return CJK.test(word);
}
