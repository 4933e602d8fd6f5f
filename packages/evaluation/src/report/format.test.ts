import { describe, expect, it } from "vitest";
import { escapeHtml, formatCount, formatDifference, formatInterval, formatPValue, formatValue } from "./format.js";

describe("formatValue", () => {
  it("rounds to 3 decimals", () => {
    expect(formatValue(0.12345)).toBe("0.123");
    expect(formatValue(0.9996)).toBe("1.000");
  });

  it("prints missing values as an en dash", () => {
    expect(formatValue(null)).toBe("–");
    expect(formatValue(undefined)).toBe("–");
    expect(formatValue(Number.NaN)).toBe("–");
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe("–");
  });

  it("drops the sign of a rounded negative zero", () => {
    expect(formatValue(-0.0004)).toBe("0.000");
  });
});

describe("formatDifference", () => {
  it("adds a plus sign to gains", () => {
    expect(formatDifference(0.0125)).toBe("+0.013");
  });

  it("keeps the minus sign of losses", () => {
    expect(formatDifference(-0.0125)).toBe("-0.013");
  });

  it("prints zero without a sign", () => {
    expect(formatDifference(0.0001)).toBe("0.000");
  });
});

describe("formatInterval", () => {
  it("needs both bounds", () => {
    expect(formatInterval(0.1, undefined)).toBe("–");
    expect(formatInterval(0.1, 0.2)).toBe("[0.100, 0.200]");
  });
});

describe("formatPValue", () => {
  it("clips tiny p-values", () => {
    expect(formatPValue(0.00099)).toBe("<0.001");
    expect(formatPValue(0.001)).toBe("0.001");
  });
});

describe("formatCount", () => {
  it("groups thousands", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(-12000)).toBe("-12,000");
  });
});

describe("escapeHtml", () => {
  it("escapes markup and quotes", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
