import { type Product, isCjkWord, normalizeText } from "@mine-refine/core";

/**
 * Heuristic reading of a product title into the parts a shopper types: the product type, the brand
 * and attributes such as sizes, voltages, wattages, pack counts and colours. Titles follow no grammar,
 * so every part may come out missing or wrong. Structured fields win where the catalog has them.
 */

export type AttributeKind = "size" | "voltage" | "power" | "count" | "color";

export interface ProductAttribute {
  kind: AttributeKind;
  /** Normalised text as it appeared in the title, such as "3/4 in." or "20-volt". */
  text: string;
}

export interface ProductFacets {
  /** Normalised product type, or undefined when neither a field nor the title gives one. */
  type: string | undefined;
  /** Normalised brand from `fields.brand`. */
  brand: string | undefined;
  attributes: ProductAttribute[];
  /** Language used for word order: "en", "es" or "ja". */
  language: "en" | "es" | "ja";
}

/** End of a number-and-unit attribute. The unit must not run on into a letter or digit, so "5 w" matches in "5 w bulb" but not in "5 wire". */
const END = "(?![\\p{L}\\p{N}])";
/** A whole, decimal or fractional number: "18", "11.5", "3/4", and mixed fractions written "22-1/2" or "2 1/2". */
const NUMBER = "\\d+(?:[.,]\\d+)?(?:[\\s-]\\d+/\\d+|/\\d+)?";

const ATTRIBUTE_PATTERNS: readonly { kind: AttributeKind; pattern: RegExp }[] = [
  { kind: "voltage", pattern: new RegExp(`${NUMBER}\\s?-?\\s?(?:v|volt|volts|voltios)${END}`, "giu") },
  { kind: "power", pattern: new RegExp(`${NUMBER}\\s?-?\\s?(?:w|watt|watts|vatios)${END}`, "giu") },
  {
    kind: "count",
    pattern: new RegExp(
      `(?:\\d+\\s?-?\\s?(?:pack|pk|count|ct|piece|pieces|pc|pcs|piezas|unidades|本入り?|個入り?|枚入り?)${END}|(?:pack|paquete|caja) (?:of |de )?\\d+${END})`,
      "giu",
    ),
  },
  {
    kind: "size",
    pattern: new RegExp(
      // A trailing W, H, D or L names the dimension, as in "37 in. W x 35 in. H".
      `${NUMBER}\\s?-?\\s?(?:in\\.|inch|inches|in|"|ft\\.|ft|feet|foot|mm|cm|m|yd|gal\\.|gal|gallon|gallons|qt|oz\\.|oz|lb\\.|lb|lbs|l|ml|pulgadas|pulgada|pies|litros|litro)(?:\\s[whdl](?![\\p{L}\\p{N}]))?(?=$|[^\\p{L}\\p{N}])`,
      "giu",
    ),
  },
];

/** Colour words in English, Spanish and Japanese. Multi-word colours come first so they win over their parts. */
const COLOR_WORDS: readonly string[] = [
  "brushed nickel",
  "oil rubbed bronze",
  "stainless steel",
  "white",
  "black",
  "red",
  "blue",
  "green",
  "gray",
  "grey",
  "silver",
  "brown",
  "beige",
  "bronze",
  "chrome",
  "gold",
  "yellow",
  "orange",
  "pink",
  "purple",
  "clear",
  "almond",
  "blanco",
  "blanca",
  "negro",
  "negra",
  "rojo",
  "roja",
  "azul",
  "verde",
  "gris",
  "plateado",
  "marrón",
  "amarillo",
  "amarilla",
  "rosa",
  "ホワイト",
  "ブラック",
  "レッド",
  "ブルー",
  "シルバー",
  "白",
  "黒",
  "赤",
  "青",
];

/** Words trimmed from both ends of a guessed type, such as the "and" left from "Wood and Concrete Coating" or the "x" between two sizes. */
const EDGE_WORDS = new Set(["and", "or", "&", "of", "with", "for", "the", "a", "an", "x", "y", "o", "de", "del", "con", "para", "el", "la", "los", "las"]);

/** Phrases after which a title only adds detail: "Faucet in Chrome", "Drill with Battery", "Pintura para exterior". */
const DETAIL_SEPARATOR = /\s*(?:[,(|;]|\s[-–]\s|\s(?:with|for|in|includes|con|para|de color)\s)/iu;

const MAX_TYPE_WORDS = 3;

function languageOf(product: Product): ProductFacets["language"] {
  const language = product.locale?.toLowerCase().split(/[-_]/u)[0];
  if (language === "es") return "es";
  if (language === "ja" || isCjkWord(product.title)) return "ja";
  return "en";
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

/** Matches a colour as a whole word. CJK text has no spaces, so there a colour matches anywhere. */
const COLOR_PATTERNS: readonly [string, RegExp][] = COLOR_WORDS.map((color) => {
  const escaped = escapeRegExp(color);
  const source = isCjkWord(color) ? escaped : `(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`;
  return [color, new RegExp(source, "gu")];
});

export function extractAttributes(text: string): ProductAttribute[] {
  const normalized = normalizeText(text);
  const attributes: ProductAttribute[] = [];
  const seen = new Set<string>();
  const add = (kind: AttributeKind, value: string): void => {
    const key = `${kind}\u0000${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    attributes.push({ kind, text: value });
  };

  let remaining = normalized;
  for (const { kind, pattern } of ATTRIBUTE_PATTERNS) {
    for (const match of remaining.matchAll(pattern)) add(kind, match[0].trim());
    // Removing each match stops "20v" from also reading as a size and "4-pack" as a count plus size.
    remaining = remaining.replace(pattern, " ");
  }

  for (const [color, pattern] of COLOR_PATTERNS) {
    // `search` ignores the `lastIndex` that a global pattern keeps between `test` calls.
    if (remaining.search(pattern) >= 0) {
      add("color", color);
      remaining = remaining.replace(pattern, " ");
    }
  }
  return attributes;
}

/**
 * Guesses the type as the head noun phrase of a title: the part before any detail separator, without
 * the brand, the attributes, the colours and tokens with digits. English puts the head noun last, so the last words
 * are kept. Spanish puts it first. A CJK title keeps its last remaining token.
 */
export function guessProductType(title: string, brand: string | undefined, language: ProductFacets["language"]): string | undefined {
  // Attributes go first, because the "in" of "3/4 in x 10 ft" would otherwise read as a detail separator.
  let text = normalizeText(title);
  for (const { pattern } of ATTRIBUTE_PATTERNS) text = text.replace(pattern, " ");
  for (const [, pattern] of COLOR_PATTERNS) text = text.replace(pattern, " ");
  if (brand !== undefined && brand.length > 0) {
    text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(brand)}(?![\\p{L}\\p{N}])`, "gu"), " ");
  }
  const head = text.split(DETAIL_SEPARATOR).find((part) => /\p{L}/u.test(part)) ?? "";

  const words = head
    .split(/\s+/u)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter((word) => word.length > 0 && !/\p{N}/u.test(word));
  if (words.length === 0) return undefined;

  if (language === "ja") return words[words.length - 1];

  let picked = language === "es" ? words.slice(0, MAX_TYPE_WORDS) : words.slice(-MAX_TYPE_WORDS);
  while (picked.length > 0 && EDGE_WORDS.has(picked[0]!)) picked = picked.slice(1);
  while (picked.length > 0 && EDGE_WORDS.has(picked[picked.length - 1]!)) picked = picked.slice(0, -1);
  return picked.length > 0 ? picked.join(" ") : undefined;
}

/** Reads type, brand and attributes from a product. `fields.type` and `fields.brand` are used as given when present. */
export function extractProductFacets(product: Product): ProductFacets {
  const language = languageOf(product);
  const brandField = product.fields.brand?.trim();
  const brand = brandField ? normalizeText(brandField) : undefined;
  const typeField = product.fields.type?.trim();
  const type = typeField ? normalizeText(typeField) : guessProductType(product.title, brand, language);

  const attributes = extractAttributes(product.title);
  const colorField = (product.fields.color ?? product.fields.colour)?.trim();
  if (colorField && !attributes.some((attribute) => attribute.kind === "color")) {
    attributes.push({ kind: "color", text: normalizeText(colorField) });
  }
  return { type, brand, attributes, language };
}
