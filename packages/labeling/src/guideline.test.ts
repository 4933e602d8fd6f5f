import { describe, expect, it } from "vitest";
import { GUIDELINE_VERSION, loadGuideline, renderSystemPrompt, renderUserPrompt } from "./guideline.js";
import { makePair } from "./test/pairs.js";

describe("guideline", () => {
  it("heading carries the version", () => {
    expect(loadGuideline().split("\n")[0]).toBe(`# Relevance guideline ${GUIDELINE_VERSION}`);
  });

  it("covers the decision rules", () => {
    const text = loadGuideline();
    for (const heading of ["### Brands", "### Sizes", "### Quantities", "### Colours", "### Compatibility", "### Accessories"]) {
      expect(text).toContain(heading);
    }
  });

  it("has examples in three languages", () => {
    const text = loadGuideline();
    expect(text).toContain("### English");
    expect(text).toContain("### Español");
    expect(text).toContain("### 日本語");
  });

  it("system prompt states the JSON output", () => {
    expect(renderSystemPrompt()).toContain('{"grade": G, "reason": "…"}');
  });

  it("user prompt lists fields in sorted order", () => {
    const pair = makePair("q", "red  drill", "p", "Cordless\nDrill", { color: "Red", brand: "Acme", empty: " " });
    expect(renderUserPrompt(pair)).toBe(
      ["Query: red drill", "Product title: Cordless Drill", "Product brand: Acme", "Product color: Red", "Grade this product for this query."].join("\n"),
    );
  });
});
