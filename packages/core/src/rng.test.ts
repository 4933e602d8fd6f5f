import { describe, expect, it } from "vitest";
import { Rng } from "./rng.js";

describe("Rng", () => {
  it("repeats a sequence for a seed", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const first = Array.from({ length: 5 }, () => a.nextUint32());
    const second = Array.from({ length: 5 }, () => b.nextUint32());
    expect(first).toEqual(second);
  });

  it("differs between seeds", () => {
    expect(new Rng(1).nextUint32()).not.toBe(new Rng(2).nextUint32());
  });

  it("int stays in range and covers it", () => {
    const rng = new Rng(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[rng.int(4)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(850);
  });

  it("normal has unit variance", () => {
    const rng = new Rng(5);
    let sum = 0;
    let sumSq = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sumSq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.05);
  });

  it("int rejects a bad bound", () => {
    expect(() => new Rng(1).int(0)).toThrow(/positive integer/);
  });
});
