import { describe, expect, it } from "vitest";
import { isCjkWord, normalizeText, segmentWords, tokenize } from "./text.js";

describe("normalizeText", () => {
  it("folds width and case", () => {
    expect(normalizeText("ＤＥＷＡＬＴ  Drill")).toBe("dewalt drill");
  });
});

describe("tokenize", () => {
  it("drops punctuation", () => {
    expect(tokenize("3/4 in. x 10 ft. Pipe")).toEqual(["3", "4", "in", "x", "10", "ft", "pipe"]);
  });

  it("cuts Japanese without spaces", () => {
    const words = segmentWords(normalizeText("電動ドリル"));
    expect(words.length).toBeGreaterThan(1);
    expect(words.join("")).toBe("電動ドリル");
  });

  it("marks CJK words", () => {
    expect(isCjkWord("ドリル")).toBe(true);
    expect(isCjkWord("taladro")).toBe(false);
  });
});
