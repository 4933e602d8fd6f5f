import { Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { capSyntheticShare, maxSyntheticCount } from "./synthetic-share.js";

interface Item {
  id: string;
  synthetic: boolean;
}

const isSynthetic = (item: Item): boolean => item.synthetic;

function makeBatch(real: number, synthetic: number): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < Math.max(real, synthetic); i++) {
    if (i < synthetic) items.push({ id: `s${i}`, synthetic: true });
    if (i < real) items.push({ id: `r${i}`, synthetic: false });
  }
  return items;
}

describe("maxSyntheticCount", () => {
  it("hits an exact share", () => {
    expect(maxSyntheticCount(6, 0.25)).toBe(2);
  });

  it("rounds down", () => {
    expect(maxSyntheticCount(5, 0.25)).toBe(1);
  });

  it("allows none without real items", () => {
    expect(maxSyntheticCount(0, 0.5)).toBe(0);
  });

  it("share 1 is unlimited", () => {
    expect(maxSyntheticCount(0, 1)).toBe(Number.POSITIVE_INFINITY);
  });

  it("share 0 allows none", () => {
    expect(maxSyntheticCount(10, 0)).toBe(0);
  });

  it("rejects a share above 1", () => {
    expect(() => maxSyntheticCount(4, 1.2)).toThrow(/maxShare/);
  });
});

describe("capSyntheticShare", () => {
  const batch = makeBatch(6, 4);
  const capped = capSyntheticShare(batch, 0.25, isSynthetic);

  it("keeps every real item", () => {
    expect(capped.filter((item) => !item.synthetic).length).toBe(6);
  });

  it("keeps the first synthetic items", () => {
    expect(capped.filter(isSynthetic).map((item) => item.id)).toEqual(["s0", "s1"]);
  });

  it("keeps the batch order", () => {
    const order = batch.filter((item) => capped.includes(item)).map((item) => item.id);
    expect(capped.map((item) => item.id)).toEqual(order);
  });

  it("stays within the share", () => {
    expect(capped.filter(isSynthetic).length / capped.length).toBeLessThanOrEqual(0.25);
  });

  it("leaves a batch under the cap", () => {
    expect(capSyntheticShare(makeBatch(6, 2), 0.25, isSynthetic).length).toBe(8);
  });

  it("draws a random subset", () => {
    const keptIds = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const picked = capSyntheticShare(batch, 0.25, isSynthetic, new Rng(seed)).filter(isSynthetic);
      expect(picked.length).toBe(2);
      for (const item of picked) keptIds.add(item.id);
    }
    expect(keptIds.size).toBe(4);
  });
});
