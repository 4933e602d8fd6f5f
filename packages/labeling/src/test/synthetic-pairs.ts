import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, Rng } from "@mine-refine/core";
import type { GradedPair } from "../judge.js";
import { makeGradedPair, makePair } from "./pairs.js";

const ITEMS = [
  { name: "cordless drill", unit: "V", sizes: [12, 18, 20], complement: "drill bit set" },
  { name: "garden hose", unit: "ft", sizes: [25, 50, 100], complement: "hose nozzle" },
  { name: "interior paint", unit: "gal", sizes: [1, 2, 5], complement: "paint roller" },
  { name: "circular saw", unit: "in.", sizes: [6, 7, 10], complement: "saw blade" },
  { name: "step ladder", unit: "ft", sizes: [4, 6, 8], complement: "ladder tool tray" },
  { name: "kitchen faucet", unit: "in.", sizes: [8, 10, 12], complement: "faucet supply line" },
] as const;
const COLOURS = ["black", "white", "red", "blue", "gray"];
const BRANDS = ["Acme", "Bolt", "Crestline", "Dunmore"];

/**
 * Generates a hand-checkable relevance set: each query names an item and some of colour, size and
 * brand. Per query there are three relevant products (all stated attributes match), two moderately
 * relevant ones (one stated attribute differs, or the item's complement) and one irrelevant product
 * (another item). The majority baseline therefore reaches accuracy 0.5.
 */
export function syntheticPairs(queryCount: number, seed: number): GradedPair[] {
  const rng = new Rng(seed);
  const pairs: GradedPair[] = [];
  for (let q = 0; q < queryCount; q++) {
    const item = rng.pick(ITEMS);
    const colour = rng.pick(COLOURS);
    const size = rng.pick(item.sizes);
    const brand = rng.pick(BRANDS);
    const stated = { colour: rng.next() < 0.6, size: rng.next() < 0.6, brand: rng.next() < 0.5 };
    if (!stated.colour && !stated.size && !stated.brand) stated.size = true;
    const queryParts = [stated.brand ? brand.toLowerCase() : "", stated.colour ? colour : "", item.name, stated.size ? `${size} ${item.unit}` : ""];
    const query = queryParts.filter((part) => part !== "").join(" ");
    const queryId = `sq${seed}-${q}`;
    let productNumber = 0;
    const add = (title: string, productBrand: string, grade: Grade): void => {
      const productId = `${queryId}-p${productNumber++}`;
      pairs.push(makeGradedPair(makePair(queryId, query, productId, title, { brand: productBrand }), grade));
    };
    const title = (b: string, c: string, name: string, s: number | string, unit: string): string => `${b} ${c} ${name} ${s} ${unit}`;

    for (let i = 0; i < 3; i++) {
      const otherSize = stated.size ? size : rng.pick(item.sizes);
      const otherColour = stated.colour ? colour : rng.pick(COLOURS);
      const otherBrand = stated.brand ? brand : rng.pick(BRANDS);
      add(title(otherBrand, otherColour, item.name, otherSize, item.unit), otherBrand, GRADE_RELEVANT);
    }

    const statedKeys = (Object.keys(stated) as (keyof typeof stated)[]).filter((key) => stated[key]);
    const missed = rng.pick(statedKeys);
    const wrongSize = missed === "size" ? rng.pick(item.sizes.filter((s) => s !== size)) : size;
    const wrongColour = missed === "colour" ? rng.pick(COLOURS.filter((c) => c !== colour)) : colour;
    const wrongBrand = missed === "brand" ? rng.pick(BRANDS.filter((b) => b !== brand)) : brand;
    add(title(wrongBrand, wrongColour, item.name, wrongSize, item.unit), wrongBrand, GRADE_MODERATE);
    const complementBrand = rng.pick(BRANDS);
    add(`${complementBrand} ${item.complement} for ${item.name.split(" ").at(-1)}`, complementBrand, GRADE_MODERATE);

    const other = rng.pick(ITEMS.filter((candidate) => candidate.name !== item.name));
    const otherBrand = rng.pick(BRANDS);
    add(title(otherBrand, rng.pick(COLOURS), other.name, rng.pick(other.sizes), other.unit), otherBrand, GRADE_IRRELEVANT);
  }
  return pairs;
}
