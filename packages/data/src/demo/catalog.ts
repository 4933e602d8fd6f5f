import {
  ConfigError,
  type ConfigIssue,
  type Dataset,
  GRADE_IRRELEVANT,
  GRADE_MODERATE,
  GRADE_RELEVANT,
  type Judgment,
  normalizeText,
  type Product,
  type Query,
  Rng,
  stableId64,
} from "@mine-refine/core";
import { ATTRIBUTE_KINDS, type AttributeKind, type AttributeValue, DEMO_LOCALES, type DemoLocale, PRODUCT_TYPES, type ProductType } from "./vocabulary.js";

export interface DemoCatalogOptions {
  /** Seed of every random choice. Default 1. */
  seed?: number;
  /** Number of products, spread evenly over locales and types, from 45 to 90,000. Default 3000. */
  products?: number;
  /** Queries generated for each of "en", "es" and "ja". Default 500. */
  queriesPerLocale?: number;
}

/** A generated product with the keys it was built from, used to judge it against queries. */
interface DemoItem {
  product: Product;
  locale: DemoLocale;
  type: ProductType;
  brand: string;
  attributes: Partial<Record<AttributeKind, AttributeValue>>;
}

/** What a query requests: a type, and optionally a brand and some attribute values. */
interface QuerySpec {
  type: ProductType;
  brand?: string;
  attributes: Partial<Record<AttributeKind, AttributeValue>>;
}

/** Chance that a query states the brand of its target product. */
const BRAND_PROBABILITY = 0.4;
/** Number of attributes a query states, drawn uniformly from this list. */
const ATTRIBUTE_COUNT_CHOICES = [0, 1, 1, 2, 2, 3];
/** Judgments per query are drawn uniformly from this inclusive range. */
const MIN_JUDGMENTS_PER_QUERY = 10;
const MAX_JUDGMENTS_PER_QUERY = 15;
/** Model numbers stay distinct up to this many products (see `modelNumber`). */
const MAX_PRODUCTS = 90_000;
/** Attempts per requested query before giving up, because repeats of a normalised text are discarded. */
const ATTEMPTS_PER_QUERY = 20;

/**
 * Generates a small multilingual home-improvement catalog with graded queries, for demos and tests
 * that must run without downloaded data. Products cover 15 types (drills, drill bits, screws, paint,
 * rollers, brushes, bulbs, lamps, hoses, nozzles, faucets, supply lines, bulb planters, power strips,
 * gloves) in English, Spanish and Japanese. Each query requests a type, sometimes with a brand and
 * attributes, and judges 10 to 15 products of its locale with ESCI labels:
 * E (grade 2) same type with every stated brand and attribute, S (grade 1) same type with a stated
 * value different, C (grade 1) an accessory type, I (grade 0) an unrelated type, preferring types whose
 * names share a word with the query (bulb planter for a light bulb), so lexical overlap alone misranks.
 * The output is the same for the same options.
 */
export function generateDemoCatalog(options: DemoCatalogOptions = {}): Dataset {
  const seed = options.seed ?? 1;
  const productCount = options.products ?? 3000;
  const queriesPerLocale = options.queriesPerLocale ?? 500;
  validateOptions(seed, productCount, queriesPerLocale);

  const rng = new Rng(seed);
  const items = generateItems(rng.fork("products"), productCount);
  const pools = groupByLocaleAndType(items);
  const queryRng = rng.fork("queries");

  const queries: Query[] = [];
  const judgments: Judgment[] = [];
  const seenTexts = new Set<string>();
  for (const locale of DEMO_LOCALES) {
    let createdQueries = 0;
    for (let attempt = 0; attempt < queriesPerLocale * ATTEMPTS_PER_QUERY && createdQueries < queriesPerLocale; attempt++) {
      const type = queryRng.pick(PRODUCT_TYPES);
      const sameType = pools.get(locale)?.get(type.key) ?? [];
      if (sameType.length === 0) continue;
      const spec = specFromTarget(queryRng, queryRng.pick(sameType));
      const text = renderQuery(locale, spec);
      const normalized = normalizeText(text);
      if (seenTexts.has(normalized)) continue;
      seenTexts.add(normalized);

      const query: Query = { id: `demo:${stableId64(normalized)}`, text, locale };
      queries.push(query);
      judgments.push(...judgeQuery(queryRng, query.id, spec, pools.get(locale)!));
      createdQueries += 1;
    }
  }

  return { name: "demo", products: items.map((item) => item.product), queries, judgments };
}

function generateItems(rng: Rng, count: number): DemoItem[] {
  const items: DemoItem[] = [];
  for (let index = 0; index < count; index++) {
    // Round-robin over locales, then over types, so every (locale, type) pool gets products.
    const locale = DEMO_LOCALES[index % DEMO_LOCALES.length]!;
    const type = PRODUCT_TYPES[Math.floor(index / DEMO_LOCALES.length) % PRODUCT_TYPES.length]!;
    const brand = rng.pick(type.brands);
    const attributes: Partial<Record<AttributeKind, AttributeValue>> = {};
    for (const kind of ATTRIBUTE_KINDS) {
      const values = type.attributes[kind];
      if (values !== undefined) attributes[kind] = rng.pick(values);
    }

    const model = modelNumber(brand, index);
    const fields: Record<string, string> = { brand, type: type.name[locale], model };
    for (const kind of ATTRIBUTE_KINDS) {
      const attribute = attributes[kind];
      if (attribute !== undefined) fields[kind] = attribute.text[locale];
    }
    const id = `demo:p${String(index + 1).padStart(5, "0")}`;
    const title = `${renderTitle(locale, type, brand, attributes)} ${model}`;
    items.push({ product: { id, title, fields, locale }, locale, type, brand, attributes });
  }
  return items;
}

/**
 * Returns a model number such as "VO-16014" that differs between products, so no two titles are equal.
 * Multiplying by 6007, a prime coprime to 90000, permutes 0..89999, so the numbers are distinct up to
 * 90,000 products and do not follow the product id order.
 */
function modelNumber(brand: string, index: number): string {
  const number = 10000 + ((index * 6007) % 90000);
  return `${brand.slice(0, 2).toUpperCase()}-${number}`;
}

function groupByLocaleAndType(items: readonly DemoItem[]): Map<DemoLocale, Map<string, DemoItem[]>> {
  const pools = new Map<DemoLocale, Map<string, DemoItem[]>>();
  for (const item of items) {
    let byType = pools.get(item.locale);
    if (byType === undefined) {
      byType = new Map();
      pools.set(item.locale, byType);
    }
    let pool = byType.get(item.type.key);
    if (pool === undefined) {
      pool = [];
      byType.set(item.type.key, pool);
    }
    pool.push(item);
  }
  return pools;
}

/** Builds a query from an existing product, so every query has at least one exact match. */
function specFromTarget(rng: Rng, target: DemoItem): QuerySpec {
  const spec: QuerySpec = { type: target.type, attributes: {} };
  if (rng.next() < BRAND_PROBABILITY) spec.brand = target.brand;
  const kinds = rng.shuffle(ATTRIBUTE_KINDS.filter((kind) => target.attributes[kind] !== undefined));
  const stated = Math.min(rng.pick(ATTRIBUTE_COUNT_CHOICES), kinds.length);
  for (const kind of kinds.slice(0, stated)) spec.attributes[kind] = target.attributes[kind];
  return spec;
}

function matchesSpec(item: DemoItem, spec: QuerySpec): boolean {
  if (spec.brand !== undefined && item.brand !== spec.brand) return false;
  for (const kind of ATTRIBUTE_KINDS) {
    const stated = spec.attributes[kind];
    if (stated !== undefined && item.attributes[kind]?.key !== stated.key) return false;
  }
  return true;
}

/**
 * Picks the judged products of one query: 1–3 exact, 2–5 substitutes, 1–3 complements, and
 * irrelevant products up to the drawn total, half of them from look-alike types when there are any.
 * Fewer are judged when a pool is smaller than its share.
 */
function judgeQuery(rng: Rng, queryId: string, spec: QuerySpec, byType: Map<string, DemoItem[]>): Judgment[] {
  const sameType = byType.get(spec.type.key) ?? [];
  const exact = sameType.filter((item) => matchesSpec(item, spec));
  const substitutes = sameType.filter((item) => !matchesSpec(item, spec));
  const complements = spec.type.complements.flatMap((key) => byType.get(key) ?? []);
  const excluded = new Set([spec.type.key, ...spec.type.complements, ...(spec.type.related ?? [])]);
  const lookalikeKeys = new Set(spec.type.lookalikes ?? []);
  const lookalikes: DemoItem[] = [];
  const unrelated: DemoItem[] = [];
  for (const [key, pool] of byType) {
    if (excluded.has(key)) continue;
    (lookalikeKeys.has(key) ? lookalikes : unrelated).push(...pool);
  }

  const total = MIN_JUDGMENTS_PER_QUERY + rng.int(MAX_JUDGMENTS_PER_QUERY - MIN_JUDGMENTS_PER_QUERY + 1);
  const picked: Array<[DemoItem, "E" | "S" | "C" | "I"]> = [];
  for (const item of sample(rng, exact, 1 + rng.int(3))) picked.push([item, "E"]);
  for (const item of sample(rng, substitutes, 2 + rng.int(4))) picked.push([item, "S"]);
  for (const item of sample(rng, complements, 1 + rng.int(3))) picked.push([item, "C"]);
  const irrelevantCount = Math.max(total - picked.length, 1);
  const fromLookalikes = sample(rng, lookalikes, Math.ceil(irrelevantCount / 2));
  for (const item of fromLookalikes) picked.push([item, "I"]);
  for (const item of sample(rng, unrelated, irrelevantCount - fromLookalikes.length)) picked.push([item, "I"]);

  return picked.map(([item, label]) => ({ queryId, productId: item.product.id, grade: GRADE_OF_LABEL[label], rawLabel: label }));
}

const GRADE_OF_LABEL = { E: GRADE_RELEVANT, S: GRADE_MODERATE, C: GRADE_MODERATE, I: GRADE_IRRELEVANT } as const;

/** Draws up to `count` distinct items (partial Fisher–Yates on a copy). */
function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const copy = [...items];
  const sampleSize = Math.min(count, copy.length);
  for (let i = 0; i < sampleSize; i++) {
    const j = i + rng.int(copy.length - i);
    const chosen = copy[j]!;
    copy[j] = copy[i]!;
    copy[i] = chosen;
  }
  return copy.slice(0, sampleSize);
}

/**
 * Renders a title without its model number. English: "Voltra 18V Black Power Drill", Spanish:
 * "Taladro eléctrico Voltra, 18 V, negro", Japanese: "Voltra 18V ブラック 電動ドリル".
 */
function renderTitle(locale: DemoLocale, type: ProductType, brand: string, attributes: Partial<Record<AttributeKind, AttributeValue>>): string {
  const texts = (kinds: readonly AttributeKind[]): string[] => kinds.flatMap((kind) => (attributes[kind] === undefined ? [] : [attributes[kind].text[locale]]));
  const beforeType: AttributeKind[] = ["size", "voltage", "color", "material"];
  if (locale === "en") {
    const pack = attributes.pack === undefined ? "" : ` (${attributes.pack.text.en})`;
    return `${[brand, ...texts(beforeType), type.name.en].join(" ")}${pack}`;
  }
  if (locale === "es") {
    const name = type.name.es.charAt(0).toUpperCase() + type.name.es.slice(1);
    return [`${name} ${brand}`, ...texts(ATTRIBUTE_KINDS)].join(", ");
  }
  return [brand, ...texts(beforeType), type.name.ja, ...texts(["pack"])].join(" ");
}

/** Renders query text. English and Spanish queries are lower case, as people type them, and word order follows each language. */
function renderQuery(locale: DemoLocale, spec: QuerySpec): string {
  const attributeTexts = ATTRIBUTE_KINDS.flatMap((kind) => (spec.attributes[kind] === undefined ? [] : [spec.attributes[kind].text[locale]]));
  const brand = spec.brand === undefined ? [] : [spec.brand];
  if (locale === "es") return [spec.type.name.es, ...brand, ...attributeTexts].join(" ").toLowerCase();
  if (locale === "en") return [...brand, ...attributeTexts, spec.type.name.en].join(" ").toLowerCase();
  return [...brand, ...attributeTexts, spec.type.name.ja].join(" ");
}

function validateOptions(seed: number, products: number, queriesPerLocale: number): void {
  const issues: ConfigIssue[] = [];
  const minimumProducts = DEMO_LOCALES.length * PRODUCT_TYPES.length;
  if (!Number.isSafeInteger(seed)) issues.push({ path: "seed", message: `expected an integer, received ${seed}` });
  if (!Number.isSafeInteger(products) || products < minimumProducts || products > MAX_PRODUCTS) {
    issues.push({
      path: "products",
      message: `expected an integer from ${minimumProducts} (one product per locale and type) to ${MAX_PRODUCTS} (distinct model numbers), received ${products}`,
    });
  }
  if (!Number.isSafeInteger(queriesPerLocale) || queriesPerLocale < 1) {
    issues.push({ path: "queriesPerLocale", message: `expected a positive integer, received ${queriesPerLocale}` });
  }
  if (issues.length > 0) throw new ConfigError("generateDemoCatalog options", issues);
}
