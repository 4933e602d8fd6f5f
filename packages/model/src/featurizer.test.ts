import { murmur3 } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { EMPTY_TEXT_BUCKET, Featurizer } from "./featurizer.js";

const featurizer = new Featurizer({ buckets: 1 << 18, seed: 7 });

function product(title: string, fields: Record<string, string> = {}) {
  return { id: "p1", title, fields };
}

describe("Featurizer", () => {
  it("word unigrams and bigrams", () => {
    const words = featurizer.features("Cordless Drill kit").filter((feature) => feature.startsWith("w"));
    expect(words).toEqual(["w1:cordless", "w1:drill", "w1:kit", "w2:cordless drill", "w2:drill kit"]);
  });

  it("latin char n-grams 3 to 5 with boundaries", () => {
    // "<ab>" has 4 characters: 3-grams "<ab", "ab>"; 4-gram "<ab>"; no 5-gram.
    const grams = featurizer.features("ab").filter((feature) => feature.startsWith("c:"));
    expect(grams).toEqual(["c:<ab", "c:ab>", "c:<ab>"]);
  });

  it("cjk char n-grams 1 to 2", () => {
    const f = new Featurizer({ buckets: 1000, seed: 1, wordNgrams: [] });
    // A word of two Han characters: 1-grams skip lone boundary marks; 2-grams "<電", "電池", "池>".
    const words = f.features("電池");
    expect(words).toContain("c:電");
    expect(words).toContain("c:池");
    expect(words).toContain("c:電池");
    expect(words).toContain("c:<電");
    expect(words).not.toContain("c:<");
  });

  it("normalises case and width", () => {
    expect(featurizer.featurizeQuery("ＤＲＩＬＬ Bit")).toEqual(featurizer.featurizeQuery("drill bit"));
  });

  it("query and title share buckets", () => {
    expect(featurizer.featurizeProduct(product("drill bit"))).toEqual(featurizer.featurizeQuery("drill bit"));
  });

  it("brand gets its own salt", () => {
    const inTitle = featurizer.bucketOf("w1:makita", "text");
    const inBrand = featurizer.bucketOf("w1:makita", "brand");
    expect(inBrand).not.toBe(inTitle);
  });

  it("product includes brand features", () => {
    const withBrand = featurizer.featurizeProduct(product("drill", { brand: "Makita" }));
    const withoutBrand = featurizer.featurizeProduct(product("drill"));
    expect(withBrand.length).toBeGreaterThan(withoutBrand.length);
    expect([...withBrand]).toContain(featurizer.bucketOf("w1:makita", "brand"));
  });

  it("fields outside productFields ignored", () => {
    const withColor = featurizer.featurizeProduct(product("drill", { color: "red" }));
    expect(withColor).toEqual(featurizer.featurizeProduct(product("drill")));
  });

  it("empty text uses reserved bucket", () => {
    expect([...featurizer.featurizeQuery(" ... ")]).toEqual([EMPTY_TEXT_BUCKET]);
  });

  it("hashed ids avoid reserved bucket and stay in range", () => {
    const f = new Featurizer({ buckets: 2, seed: 3 });
    for (const id of f.featurizeQuery("any words at all")) expect(id).toBe(1);
    for (const id of featurizer.featurizeQuery("a longer query with several words")) {
      expect(id).toBeGreaterThan(EMPTY_TEXT_BUCKET);
      expect(id).toBeLessThan(1 << 18);
    }
  });

  it("bucket equals core murmur3 of the feature", () => {
    // Same hash as murmur3(feature, seed ^ salt) from core, including for multi-byte characters.
    const salted = (7 ^ murmur3("field:text", 0)) >>> 0;
    for (const feature of ["w1:drill", "c:<電池>", "w2:crème brûlée"]) {
      expect(featurizer.bucketOf(feature, "text")).toBe(1 + (murmur3(feature, salted) % ((1 << 18) - 1)));
    }
  });

  it("seed changes buckets", () => {
    const other = new Featurizer({ buckets: 1 << 18, seed: 8 });
    expect(other.featurizeQuery("drill")).not.toEqual(featurizer.featurizeQuery("drill"));
  });

  it("batch offsets", () => {
    const batch = featurizer.batch([Int32Array.of(5, 6), Int32Array.of(7), Int32Array.of(8, 9, 10)]);
    expect([...batch.offsets]).toEqual([0, 2, 3, 6]);
    expect([...batch.ids]).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it("rejects invalid config", () => {
    expect(() => new Featurizer({ buckets: 1, seed: 0 })).toThrow(/buckets must be an integer in \[2, 2\^31 - 1\], received 1/);
    expect(() => new Featurizer({ buckets: 10, seed: 0, charNgrams: { latin: [4, 2] } })).toThrow(/charNgrams.latin/);
  });
});
