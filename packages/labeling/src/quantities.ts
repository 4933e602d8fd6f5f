import { normalizeText } from "@mine-refine/core";

/** A number with its unit converted to a base unit of its dimension (millimetres, millilitres, grams, ...). */
export interface Quantity {
  value: number;
  /** Base unit such as "mm", "ml", "g", "v", "w", "a", "ah", "psi", "btu", "count", or "" for a bare number. */
  unit: string;
}

/** Unit spellings (English, Spanish, Japanese) mapped to a base unit and the factor into it. */
const UNITS: ReadonlyMap<string, { unit: string; factor: number }> = new Map(
  Object.entries({
    in: ["mm", 25.4],
    inch: ["mm", 25.4],
    inches: ["mm", 25.4],
    '"': ["mm", 25.4],
    pulgada: ["mm", 25.4],
    pulgadas: ["mm", 25.4],
    ft: ["mm", 304.8],
    feet: ["mm", 304.8],
    foot: ["mm", 304.8],
    "'": ["mm", 304.8],
    pie: ["mm", 304.8],
    pies: ["mm", 304.8],
    mm: ["mm", 1],
    cm: ["mm", 10],
    m: ["mm", 1000],
    ml: ["ml", 1],
    l: ["ml", 1000],
    gal: ["ml", 3785.41],
    gallon: ["ml", 3785.41],
    gallons: ["ml", 3785.41],
    qt: ["ml", 946.353],
    quart: ["ml", 946.353],
    g: ["g", 1],
    kg: ["g", 1000],
    lb: ["g", 453.592],
    lbs: ["g", 453.592],
    oz: ["g", 28.3495],
    v: ["v", 1],
    volt: ["v", 1],
    volts: ["v", 1],
    w: ["w", 1],
    watt: ["w", 1],
    watts: ["w", 1],
    a: ["a", 1],
    amp: ["a", 1],
    amps: ["a", 1],
    ah: ["ah", 1],
    psi: ["psi", 1],
    btu: ["btu", 1],
    pack: ["count", 1],
    pk: ["count", 1],
    count: ["count", 1],
    ct: ["count", 1],
    pc: ["count", 1],
    pcs: ["count", 1],
    piece: ["count", 1],
    pieces: ["count", 1],
    piezas: ["count", 1],
    unidades: ["count", 1],
    個: ["count", 1],
    本: ["count", 1],
    枚: ["count", 1],
    本入: ["count", 1],
    個入: ["count", 1],
  }).map(([spelling, [unit, factor]]) => [spelling, { unit: unit as string, factor: factor as number }]),
);

const UNIT_PATTERN = [...UNITS.keys()]
  .sort((a, b) => b.length - a.length)
  .map((spelling) => spelling.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&"))
  .join("|");

/**
 * A number (mixed "1-1/2" or "1 1/2", fraction "3/4", decimal "1.5"; tried in that order so that the
 * longest form wins) optionally followed by a unit.
 * A Latin unit must end at a word boundary so that "10 ft" matches but "10 fthing" does not; a
 * CJK unit needs no boundary.
 */
const QUANTITY = new RegExp(
  `(?<![\\d./])(\\d+[- ]\\d+/\\d+|\\d+/\\d+|\\d+(?:\\.\\d+)?)\\s*(?:\\.|-)?\\s*(${UNIT_PATTERN})?(?![a-z])\\.?`,
  "gu",
);

/** Extracts the quantities of a text. Units are converted, so "1 ft" and "12 in." give the same quantity. */
export function extractQuantities(text: string): Quantity[] {
  const normalized = normalizeText(text).replace(/[”″]/gu, '"').replace(/[’′]/gu, "'");
  const quantities: Quantity[] = [];
  for (const match of normalized.matchAll(QUANTITY)) {
    const value = parseNumber(match[1] ?? "");
    if (value === undefined || !Number.isFinite(value)) continue;
    const unit = match[2] === undefined ? undefined : UNITS.get(match[2]);
    quantities.push(unit === undefined ? { value, unit: "" } : { value: value * unit.factor, unit: unit.unit });
  }
  return quantities;
}

function parseNumber(text: string): number | undefined {
  const mixed = /^(\d+)[- ](\d+)\/(\d+)$/u.exec(text);
  if (mixed !== null) return Number(mixed[1]) + fraction(mixed[2], mixed[3]);
  const simple = /^(\d+)\/(\d+)$/u.exec(text);
  if (simple !== null) return fraction(simple[1], simple[2]);
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function fraction(numerator: string | undefined, denominator: string | undefined): number {
  const bottom = Number(denominator);
  return bottom === 0 ? Number.NaN : Number(numerator) / bottom;
}

/** Relative difference under which two quantities count as equal; 2 % lets "3/4 in." (19.05 mm) match "19 mm". */
const QUANTITY_TOLERANCE = 0.02;

/** True when both have the same base unit (or either has none) and values within 2 % of each other. */
export function quantitiesAgree(a: Quantity, b: Quantity): boolean {
  if (a.unit !== "" && b.unit !== "" && a.unit !== b.unit) return false;
  const scale = Math.max(Math.abs(a.value), Math.abs(b.value));
  return scale === 0 || Math.abs(a.value - b.value) <= QUANTITY_TOLERANCE * scale;
}
