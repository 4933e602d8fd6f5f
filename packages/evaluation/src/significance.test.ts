import { describe, expect, it } from "vitest";
import { compareSystems, holmAdjust, pairedBootstrap, pairedRandomizationTest } from "./significance.js";

const base = [0.2, 0.5, 0.9, 0.4, 0.7, 0.1, 0.3, 0.8, 0.6, 0.55, 0.35, 0.45, 0.65, 0.25, 0.75, 0.15, 0.85, 0.05, 0.95, 0.5];
const shifted = base.map((value) => value + 0.1);

describe("pairedBootstrap", () => {
  it("gives a zero interval for identical systems", () => {
    const result = pairedBootstrap(base, base, { seed: 1 });
    expect(result.meanDifference).toBe(0);
    expect(result.lower).toBe(0);
    expect(result.upper).toBe(0);
  });

  it("centres a constant shift", () => {
    const result = pairedBootstrap(shifted, base, { seed: 1 });
    expect(result.lower).toBeCloseTo(0.1, 12);
    expect(result.upper).toBeCloseTo(0.1, 12);
  });

  it("covers the resample range", () => {
    // Differences 0 and 1: resample means are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4, so the
    // 2.5% and 97.5% quantiles are 0 and 1.
    const result = pairedBootstrap([0, 1], [0, 0], { seed: 5, samples: 4000 });
    expect(result.lower).toBe(0);
    expect(result.upper).toBe(1);
  });

  it("repeats for a seed", () => {
    const noisy = base.map((value, i) => value + (i % 3) * 0.05 - 0.04);
    const first = pairedBootstrap(noisy, base, { seed: 9, samples: 500 });
    const second = pairedBootstrap(noisy, base, { seed: 9, samples: 500 });
    expect(second).toEqual(first);
  });

  it("rejects unequal lengths", () => {
    expect(() => pairedBootstrap([1, 2], [1], { seed: 1 })).toThrow(/a has 2 values but b has 1/);
  });
});

describe("pairedRandomizationTest", () => {
  it("gives p 1 for identical systems", () => {
    expect(pairedRandomizationTest(base, base, { seed: 1 }).pValue).toBe(1);
  });

  it("gives a small p for a constant shift", () => {
    // Only 2 of the 2^20 sign assignments reach |sum| = 2, so p is the floor 1 / 10,001.
    const result = pairedRandomizationTest(shifted, base, { seed: 1 });
    expect(result.pValue).toBeLessThan(0.001);
    expect(result.meanDifference).toBeCloseTo(0.1, 12);
  });

  it("counts the observed assignment", () => {
    // Reaching |sum| = 2 needs one of 2 in 2^20 assignments, so with 1,000 samples almost surely
    // none does and p = (0 + 1) / (1,000 + 1).
    expect(pairedRandomizationTest(shifted, base, { seed: 1, samples: 1000 }).pValue).toBe(1 / 1001);
  });

  it("estimates an exact p-value", () => {
    // Differences 1, 1, 1: 2 of 8 sign assignments reach |sum| = 3, so p = 0.25. With 10,000
    // samples the standard error is 0.0043; the tolerance 0.02 is about 4.6 of them.
    const result = pairedRandomizationTest([1, 1, 1], [0, 0, 0], { seed: 2 });
    expect(Math.abs(result.pValue - 0.25)).toBeLessThan(0.02);
  });

  it("repeats for a seed", () => {
    const noisy = base.map((value, i) => value + (i % 3) * 0.05 - 0.04);
    const first = pairedRandomizationTest(noisy, base, { seed: 4, samples: 500 });
    const second = pairedRandomizationTest(noisy, base, { seed: 4, samples: 500 });
    expect(second.pValue).toBe(first.pValue);
  });
});

describe("holmAdjust", () => {
  it("adjusts in input order", () => {
    // Sorted 0.01 · 3 = 0.03, 0.03 · 2 = 0.06, 0.04 · 1 = 0.04 raised to 0.06.
    const adjusted = holmAdjust([0.01, 0.04, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
  });

  it("caps at 1", () => {
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
  });
});

describe("compareSystems", () => {
  const perQuery = (values: number[]): Map<string, number | null> =>
    new Map(values.map((value, i) => [`q${i}`, value]));
  const systems = new Map([
    ["bm25", perQuery(base)],
    ["stage1", perQuery(shifted)],
    ["stage1-copy", perQuery(shifted)],
  ]);
  const rows = compareSystems(systems, { seed: 3, samples: 2000 });

  it("lists every pair once", () => {
    expect(rows.map((row) => `${row.systemA}/${row.systemB}`)).toEqual([
      "bm25/stage1",
      "bm25/stage1-copy",
      "stage1/stage1-copy",
    ]);
  });

  it("reports means and difference", () => {
    expect(rows[0]?.meanB).toBeCloseTo(rows[0]!.meanA + 0.1, 12);
    expect(rows[0]?.meanDifference).toBeCloseTo(-0.1, 12);
  });

  it("separates shifted from identical", () => {
    expect(rows[0]?.pValue).toBeLessThan(0.01);
    expect(rows[2]?.pValue).toBe(1);
  });

  it("pairs only queries both systems define", () => {
    const withNull = new Map([...systems.get("bm25")!, ["q0", null]]);
    const partial = compareSystems(new Map([["a", withNull], ["b", perQuery(shifted)]]), { seed: 3, samples: 100 });
    expect(partial[0]?.queries).toBe(19);
  });

  it("keeps rows when a system is added", () => {
    const fewer = compareSystems(new Map([...systems].slice(0, 2)), { seed: 3, samples: 2000 });
    expect(fewer[0]).toEqual({ ...rows[0], pValueHolm: fewer[0]?.pValueHolm });
  });
});
