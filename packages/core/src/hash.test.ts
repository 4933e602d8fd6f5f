import { describe, expect, it } from "vitest";
import { murmur3, stableId } from "./hash.js";

describe("murmur3", () => {
  // Reference values from the canonical MurmurHash3_x86_32 implementation.
  it("matches reference vectors", () => {
    expect(murmur3("", 0)).toBe(0);
    expect(murmur3("", 1)).toBe(0x514e28b7);
    expect(murmur3("hello", 0)).toBe(0x248bfa47);
    expect(murmur3("The quick brown fox jumps over the lazy dog", 0)).toBe(0x2e4ff723);
  });

  it("hashes UTF-8 bytes", () => {
    expect(murmur3("日本", 7)).toBe(murmur3("日本", 7));
    expect(murmur3("日本", 7)).not.toBe(murmur3("日本", 8));
  });

  it("stableId pads to eight hex digits", () => {
    expect(stableId("")).toBe("00000000");
  });
});
