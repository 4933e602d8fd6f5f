/**
 * Vocabulary and `tokenizer.json` of the tiny generated BERT-style test model. The tokenizer is a
 * WordPiece model behind the BERT normalizer (lower case, accents kept, CJK ideographs split into
 * single characters) and the BERT pre-tokenizer (split on whitespace and punctuation), with the
 * usual [CLS] text [SEP] template, in the `tokenizer.json` layout of Hugging Face tokenizers.
 */

/** Special tokens, in this order at ids 0–4. */
export const TINY_BERT_SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

/**
 * Default word list: English, Spanish and Japanese product words, with a few subwords so that
 * WordPiece splitting shows up in tests ("drills" becomes "drill" + "##s").
 */
export const TINY_BERT_DEFAULT_WORDS: readonly string[] = [
  // English
  "cordless", "drill", "hammer", "saw", "blade", "battery", "charger", "screw", "screws", "nail", "paint",
  "brush", "roller", "white", "black", "red", "blue", "steel", "wood", "door", "lock", "light", "bulb",
  "led", "lamp", "pipe", "water", "heater", "garden", "hose", "shovel", "for", "with", "and", "the", "kit",
  "set", "inch", "volt", "cable", "outdoor", "indoor", "wall", "floor", "tile", "camera", "phone", "case",
  "##s", "##ing", "##er", "##ed",
  // Spanish
  "taladro", "inalámbrico", "martillo", "sierra", "batería", "cargador", "tornillo", "pintura", "blanco",
  "negro", "rojo", "azul", "acero", "madera", "puerta", "lámpara", "cámara", "teléfono", "funda", "para",
  "con", "de", "el", "la", "juego", "##es", "##os", "##as",
  // Japanese: ideographs are split into single characters by the normalizer, kana runs by WordPiece.
  "電", "動", "工", "具", "白", "黒", "赤", "青", "木", "水", "光", "灯", "ド", "リ", "ル", "##ド", "##リ",
  "##ル", "カ", "メ", "ラ", "##カ", "##メ", "##ラ", "の", "##の",
];

/** Characters the BERT pre-tokenizer splits off as their own words, as in Hugging Face tokenizers. */
const PUNCTUATION = "\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E";
const WORD_PATTERN = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, "gu");

/** CJK ideograph ranges the BERT normalizer surrounds with spaces (the same ranges as BERT's `_is_chinese_char`). */
function isCjkIdeograph(codePoint: number): boolean {
  return (
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x20000 && codePoint <= 0x2a6df) ||
    (codePoint >= 0x2a700 && codePoint <= 0x2b73f) ||
    (codePoint >= 0x2b740 && codePoint <= 0x2b81f) ||
    (codePoint >= 0x2b820 && codePoint <= 0x2ceaf) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0x2f800 && codePoint <= 0x2fa1f)
  );
}

/** Splits text the way the tiny model's normalizer and pre-tokenizer do: the words WordPiece sees. */
export function splitBertWords(text: string): string[] {
  let spaced = "";
  for (const char of text.toLowerCase()) {
    spaced += isCjkIdeograph(char.codePointAt(0)!) ? ` ${char} ` : char;
  }
  return spaced.trim().match(WORD_PATTERN) ?? [];
}

export interface VocabularyFromTextsOptions {
  /** Whole words kept, most frequent first (ties in first-seen order). Defaults to 5000. */
  maxWords?: number;
}

/**
 * Builds a word list from texts: the most frequent words, plus every character both as a word start
 * and as a "##" continuation, so that WordPiece can spell any word of these texts without [UNK].
 */
export function vocabularyFromTexts(texts: Iterable<string>, options: VocabularyFromTextsOptions = {}): string[] {
  const maxWords = options.maxWords ?? 5000;
  if (!Number.isInteger(maxWords) || maxWords < 0) throw new RangeError(`maxWords must be a non-negative integer, received ${maxWords}`);
  const counts = new Map<string, number>();
  const characters = new Set<string>();
  for (const text of texts) {
    for (const word of splitBertWords(text)) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
      for (const char of word) characters.add(char);
    }
  }
  // Map iteration follows insertion order and Array.prototype.sort is stable, so ties keep first-seen order.
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, maxWords).map(([word]) => word);
  const pieces = [...characters].flatMap((char) => [char, `##${char}`]);
  return [...new Set([...words, ...pieces])];
}

/** Returns the full vocabulary: the special tokens, then `words` without duplicates or special tokens. */
export function tinyBertVocabulary(words: readonly string[]): string[] {
  const special = new Set<string>(TINY_BERT_SPECIAL_TOKENS);
  const vocabulary: string[] = [...TINY_BERT_SPECIAL_TOKENS];
  const seen = new Set<string>(vocabulary);
  for (const word of words) {
    if (word.length === 0 || special.has(word) || seen.has(word)) continue;
    if (word.toLowerCase() !== word) throw new RangeError(`vocabulary word "${word}" has upper-case letters, but the tokenizer lower-cases its input; lower-case it`);
    seen.add(word);
    vocabulary.push(word);
  }
  return vocabulary;
}

/** Returns the `tokenizer.json` document of a WordPiece tokenizer over `vocabulary` (special tokens first). */
export function tinyBertTokenizerJson(vocabulary: readonly string[], maxLength: number): unknown {
  const ids: Record<string, number> = {};
  vocabulary.forEach((token, id) => {
    ids[token] = id;
  });
  const special = (token: string) => ({ id: ids[token]!, content: token, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: "1.0",
    truncation: { direction: "Right", max_length: maxLength, strategy: "LongestFirst", stride: 0 },
    padding: null,
    added_tokens: TINY_BERT_SPECIAL_TOKENS.map(special),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [ids["[CLS]"]!], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [ids["[SEP]"]!], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: ids },
  };
}

/** Returns the `tokenizer_config.json` document that goes with `tinyBertTokenizerJson`. */
export function tinyBertTokenizerConfig(maxLength: number): unknown {
  return {
    tokenizer_class: "BertTokenizer",
    do_lower_case: true,
    strip_accents: false,
    tokenize_chinese_chars: true,
    model_max_length: maxLength,
    pad_token: "[PAD]",
    unk_token: "[UNK]",
    cls_token: "[CLS]",
    sep_token: "[SEP]",
    mask_token: "[MASK]",
  };
}
