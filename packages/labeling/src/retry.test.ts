import { describe, expect, it } from "vitest";
import { backoffDelayMs, parseRetryAfterMs } from "./retry.js";

describe("parseRetryAfterMs", () => {
  const nowMs = Date.UTC(2026, 0, 2, 3, 4, 5);

  it("reads delay seconds", () => {
    expect(parseRetryAfterMs("2", nowMs)).toBe(2000);
  });

  it("reads an HTTP date", () => {
    expect(parseRetryAfterMs(new Date(nowMs + 7000).toUTCString(), nowMs)).toBe(7000);
  });

  it("clamps a past date to zero", () => {
    expect(parseRetryAfterMs(new Date(nowMs - 7000).toUTCString(), nowMs)).toBe(0);
  });

  it("ignores an unreadable value", () => {
    expect(parseRetryAfterMs("soon", nowMs)).toBeUndefined();
  });
});

describe("backoffDelayMs", () => {
  it("doubles the ceiling per retry", () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelayMs(attempt, 100, 10_000, () => 0.999))).toEqual([99, 199, 399, 799]);
  });

  it("caps the ceiling at the maximum", () => {
    expect(backoffDelayMs(10, 100, 1000, () => 0.5)).toBe(500);
  });
});
