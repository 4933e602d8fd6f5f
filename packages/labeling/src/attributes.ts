import { isCjkWord, normalizeText, type Product, segmentWords } from "@mine-refine/core";

/** Colour words in English, Spanish and Japanese mapped to one canonical colour name. */
const COLOUR_WORDS: Readonly<Record<string, string>> = {
  black: "black", white: "white", red: "red", blue: "blue", green: "green", yellow: "yellow",
  orange: "orange", purple: "purple", pink: "pink", brown: "brown", gray: "gray", grey: "gray",
  silver: "silver", gold: "gold", beige: "beige", bronze: "bronze", chrome: "chrome", nickel: "nickel",
  brass: "brass", copper: "copper", ivory: "ivory", almond: "almond", tan: "tan", navy: "blue", clear: "clear",
  negro: "black", negra: "black", blanco: "white", blanca: "white", rojo: "red", roja: "red", azul: "blue",
  verde: "green", amarillo: "yellow", amarilla: "yellow", naranja: "orange", morado: "purple", morada: "purple",
  rosa: "pink", marrón: "brown", marron: "brown", gris: "gray", plateado: "silver", plateada: "silver",
  dorado: "gold", dorada: "gold", transparente: "clear",
  黒: "black", ブラック: "black", 白: "white", ホワイト: "white", 赤: "red", レッド: "red", 青: "blue",
  ブルー: "blue", 緑: "green", グリーン: "green", 黄: "yellow", イエロー: "yellow", オレンジ: "orange",
  紫: "purple", ピンク: "pink", 茶: "brown", ブラウン: "brown", グレー: "gray", 灰: "gray", 銀: "silver",
  シルバー: "silver", 金: "gold", ゴールド: "gold", 透明: "clear",
};

const CJK_COLOUR_WORDS = Object.keys(COLOUR_WORDS).filter(isCjkWord);

/**
 * Returns the canonical colours named in a text. Latin colour words must be whole words; Japanese
 * colour words match anywhere, because Japanese has no spaces ("黒い" contains "黒").
 * NOTE: substring matching can misfire inside unrelated Japanese words, such as 金 in 金属 (metal).
 */
export function extractColours(text: string): Set<string> {
  const normalized = normalizeText(text);
  const colours = new Set<string>();
  for (const word of segmentWords(normalized)) {
    const colour = COLOUR_WORDS[word];
    if (colour !== undefined) colours.add(colour);
  }
  for (const word of CJK_COLOUR_WORDS) {
    if (normalized.includes(word)) colours.add(COLOUR_WORDS[word] as string);
  }
  return colours;
}

/** Field names, after `normalizeText`, that contain a product's brand. */
const BRAND_FIELDS = new Set(["brand", "brand name", "mfg brand name", "manufacturer", "marca", "ブランド", "メーカー"]);

/** Returns the normalised brand from the product's fields, or undefined when no brand field is set. */
export function productBrand(product: Product): string | undefined {
  for (const [name, value] of Object.entries(product.fields)) {
    if (!BRAND_FIELDS.has(normalizeText(name))) continue;
    const brand = normalizeText(value);
    if (brand !== "") return brand;
  }
  return undefined;
}

/** Returns the colour-bearing product text: the title and any field whose name mentions colour. */
export function productColourText(product: Product): string {
  const parts = [product.title];
  for (const [name, value] of Object.entries(product.fields)) {
    if (/colou?r|finish|色/iu.test(name)) parts.push(value);
  }
  return parts.join(" ");
}

/**
 * True when `phrase` occurs in `text` (both normalised). A Latin phrase must start and end at word
 * boundaries, so the brand "ge" is not found inside "garage"; a CJK phrase may occur anywhere.
 */
export function containsPhrase(text: string, phrase: string): boolean {
  if (phrase === "") return false;
  if (isCjkWord(phrase)) return text.includes(phrase);
  return ` ${segmentWords(text).join(" ")} `.includes(` ${segmentWords(phrase).join(" ")} `);
}
