import { ConfigError, Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { QWERTY_LAYOUT, SPANISH_LAYOUT } from "./keyboard-layouts.js";
import { KANA_CONFUSIONS } from "./kana-confusions.js";
import type { CjkEditKind } from "./token-edits.js";
import { type WordEditKind, createTypoGenerator, tokenEditProbability } from "./typo-generator.js";

const SEEDS = Array.from({ length: 25 }, (_, i) => i + 1);

/** Weights that allow only one edit kind, with every eligible token edited. */
function onlyEdit(kind: WordEditKind) {
  const editWeights: Record<WordEditKind, number> = {
    substitution: 0,
    deletion: 0,
    insertion: 0,
    transposition: 0,
    doubling: 0,
    mergeWords: 0,
    splitWord: 0,
  };
  editWeights[kind] = 1;
  return createTypoGenerator({ editWeights, cjkEditWeights: { drop: 0, repeat: 0, kanaSwap: 0 }, baseProbability: 1, maxProbability: 1 });
}

function onlyCjkEdit(kind: CjkEditKind) {
  const cjkEditWeights: Record<CjkEditKind, number> = { drop: 0, repeat: 0, kanaSwap: 0 };
  cjkEditWeights[kind] = 1;
  return createTypoGenerator({ cjkEditWeights, baseProbability: 1, maxProbability: 1 });
}

/** True when removing one code point from `longer` gives `shorter`, returning that index or -1. */
function removedIndex(longer: string, shorter: string): number {
  const chars = Array.from(longer);
  for (let i = 0; i < chars.length; i++) {
    if ([...chars.slice(0, i), ...chars.slice(i + 1)].join("") === shorter) return i;
  }
  return -1;
}

function differingPositions(a: string, b: string): number[] {
  const left = Array.from(a);
  const right = Array.from(b);
  return left.flatMap((char, i) => (char === right[i] ? [] : [i]));
}

describe("perturb", () => {
  it("repeats for a seed", () => {
    const generator = createTypoGenerator();
    const texts = ["cordless hammer drill", "exterior wood stain", "taladro inalámbrico", "電動ドライバー"];
    const first = texts.map((text) => generator.perturb(text, new Rng(9), "en"));
    const second = texts.map((text) => generator.perturb(text, new Rng(9), "en"));
    expect(second).toEqual(first);
  });

  it("varies across seeds", () => {
    const generator = createTypoGenerator({ baseProbability: 1, maxProbability: 1 });
    const outputs = new Set(SEEDS.map((seed) => generator.perturb("cordless hammer drill", new Rng(seed))));
    expect(outputs.size).toBeGreaterThan(5);
  });

  it("substitution uses a neighbouring key", () => {
    const generator = onlyEdit("substitution");
    for (const seed of SEEDS) {
      const output = generator.perturb("hammer", new Rng(seed), "en");
      const positions = differingPositions("hammer", output);
      expect(output.length).toBe(6);
      expect(positions.length).toBe(1);
      const index = positions[0]!;
      expect(QWERTY_LAYOUT.neighbours.get("hammer"[index]!)).toContain(output[index]);
    }
  });

  it("deletion removes one letter", () => {
    const generator = onlyEdit("deletion");
    for (const seed of SEEDS) {
      const output = generator.perturb("hammer", new Rng(seed));
      expect(removedIndex("hammer", output)).toBeGreaterThanOrEqual(0);
    }
  });

  it("insertion adds a key next to a neighbour", () => {
    const generator = onlyEdit("insertion");
    for (const seed of SEEDS) {
      const output = generator.perturb("hammer", new Rng(seed));
      const index = removedIndex(output, "hammer");
      expect(index).toBeGreaterThanOrEqual(0);
      const inserted = output[index]!;
      const besideKeys = [output[index - 1], output[index + 1]].filter((char) => char !== undefined);
      const isNeighbour = besideKeys.some((char) => QWERTY_LAYOUT.neighbours.get(char)?.includes(inserted));
      expect(isNeighbour).toBe(true);
    }
  });

  it("transposition swaps adjacent letters", () => {
    const generator = onlyEdit("transposition");
    for (const seed of SEEDS) {
      const output = generator.perturb("hammer", new Rng(seed));
      const positions = differingPositions("hammer", output);
      expect(positions.length).toBe(2);
      const [i, j] = positions as [number, number];
      expect(j).toBe(i + 1);
      expect(output[i]).toBe("hammer"[j]);
      expect(output[j]).toBe("hammer"[i]);
    }
  });

  it("doubling repeats one letter", () => {
    const generator = onlyEdit("doubling");
    for (const seed of SEEDS) {
      const output = generator.perturb("drill", new Rng(seed));
      const index = removedIndex(output, "drill");
      expect(index).toBeGreaterThanOrEqual(0);
      // Removing either copy of a doubled letter gives the input, so the copy sits beside its original.
      const beside = output[index - 1] === output[index] || output[index + 1] === output[index];
      expect(beside).toBe(true);
    }
  });

  it("splitWord inserts one inner space", () => {
    const generator = onlyEdit("splitWord");
    for (const seed of SEEDS) {
      const output = generator.perturb("hammer", new Rng(seed));
      expect(output.split(" ").length).toBe(2);
      expect(output.replace(" ", "")).toBe("hammer");
      expect(output.startsWith(" ") || output.endsWith(" ")).toBe(false);
    }
  });

  it("mergeWords drops the space", () => {
    const generator = onlyEdit("mergeWords");
    expect(generator.perturb("cordless hammer", new Rng(1))).toBe("cordlesshammer");
  });

  it("mergeWords skips the last token", () => {
    const generator = onlyEdit("mergeWords");
    expect(generator.perturb("hammer", new Rng(1))).toBe("hammer");
  });

  it("short tokens stay untouched", () => {
    const generator = createTypoGenerator({ baseProbability: 1, maxProbability: 1, editWeights: { mergeWords: 0 } });
    for (const seed of SEEDS) {
      const tokens = generator.perturb("tv led lamp", new Rng(seed)).split(" ");
      expect(tokens[0]).toBe("tv");
      expect(tokens[1]).toBe("led");
      expect(tokens.slice(2).join(" ")).not.toBe("lamp");
    }
  });

  it("probability rises with length and caps", () => {
    const { options } = createTypoGenerator({ baseProbability: 0.2, probabilityPerExtraCharacter: 0.05, maxProbability: 0.4 });
    expect(tokenEditProbability(3, 4, options)).toBe(0);
    expect(tokenEditProbability(4, 4, options)).toBeCloseTo(0.2, 12);
    expect(tokenEditProbability(6, 4, options)).toBeCloseTo(0.3, 12);
    expect(tokenEditProbability(20, 4, options)).toBeCloseTo(0.4, 12);
  });

  it("numbers survive", () => {
    const generator = createTypoGenerator({ baseProbability: 1, maxProbability: 1, minTokenLength: 1 });
    for (const seed of SEEDS) {
      const tokens = generator.perturb("18v drill 3/4 in 2000w", new Rng(seed)).split(" ");
      expect(tokens).toContain("18v");
      expect(tokens).toContain("3/4");
      expect(tokens).toContain("2000w");
    }
  });

  it("numbers change with keepNumbers false", () => {
    const generator = createTypoGenerator({ baseProbability: 1, maxProbability: 1, keepNumbers: false, editWeights: { mergeWords: 0, splitWord: 0 } });
    const outputs = SEEDS.map((seed) => generator.perturb("2000watt", new Rng(seed)));
    expect(outputs.every((output) => output !== "2000watt")).toBe(true);
  });

  it("keeps surrounding white space", () => {
    const generator = onlyEdit("deletion");
    expect(generator.perturb("  hammer  ", new Rng(3))).toMatch(/^ {2}\S{5} {2}$/u);
  });
});

describe("Spanish layout", () => {
  it("ñ neighbours l and p", () => {
    expect([...(SPANISH_LAYOUT.neighbours.get("ñ") ?? [])].sort()).toEqual(["l", "p"]);
  });

  it("l neighbours ñ", () => {
    expect(SPANISH_LAYOUT.neighbours.get("l")).toContain("ñ");
  });

  it("QWERTY l lacks ñ", () => {
    expect(QWERTY_LAYOUT.neighbours.get("l")).not.toContain("ñ");
  });

  it("a neighbours q w s z", () => {
    expect([...(QWERTY_LAYOUT.neighbours.get("a") ?? [])].sort()).toEqual(["q", "s", "w", "z"]);
  });

  it("substitutes ñ for es locale", () => {
    const generator = onlyEdit("substitution");
    for (const seed of SEEDS) {
      const output = generator.perturb("ññññ", new Rng(seed), "es-ES");
      const replaced = Array.from(output).filter((char) => char !== "ñ");
      expect(replaced.length).toBe(1);
      expect(["l", "p"]).toContain(replaced[0]);
    }
  });

  it("leaves ñ for en locale", () => {
    const generator = onlyEdit("substitution");
    expect(generator.perturb("ññññ", new Rng(1), "en")).toBe("ññññ");
  });

  it("composes a decomposed ñ", () => {
    const generator = onlyEdit("substitution");
    const output = generator.perturb("n\u0303n\u0303n\u0303n\u0303", new Rng(2), "es");
    expect(Array.from(output).length).toBe(4);
  });
});

describe("Japanese typos", () => {
  it("drop removes one character", () => {
    const generator = onlyCjkEdit("drop");
    for (const seed of SEEDS) {
      const output = generator.perturb("ドライバー", new Rng(seed), "ja");
      expect(removedIndex("ドライバー", output)).toBeGreaterThanOrEqual(0);
    }
  });

  it("repeat doubles one character", () => {
    const generator = onlyCjkEdit("repeat");
    for (const seed of SEEDS) {
      const output = generator.perturb("電動工具", new Rng(seed), "ja");
      const index = removedIndex(output, "電動工具");
      expect(index).toBeGreaterThanOrEqual(0);
      const beside = output[index - 1] === output[index] || output[index + 1] === output[index];
      expect(beside).toBe(true);
    }
  });

  it("kanaSwap uses the confusion table", () => {
    const generator = onlyCjkEdit("kanaSwap");
    for (const seed of SEEDS) {
      const output = generator.perturb("ツール", new Rng(seed), "ja");
      const positions = differingPositions("ツール", output);
      expect(positions.length).toBe(1);
      const index = positions[0]!;
      expect(KANA_CONFUSIONS.get("ツール"[index]!)).toContain(output[index]);
    }
  });

  it("edits CJK tokens without a locale", () => {
    const generator = onlyCjkEdit("drop");
    expect(generator.perturb("ドリル", new Rng(4))).not.toBe("ドリル");
  });

  it("keeps one-character tokens", () => {
    const generator = onlyCjkEdit("drop");
    expect(generator.perturb("釘", new Rng(4), "ja")).toBe("釘");
  });
});

describe("createTypoGenerator", () => {
  it("rejects a negative weight", () => {
    expect(() => createTypoGenerator({ editWeights: { deletion: -1 } })).toThrow(ConfigError);
  });

  it("rejects all-zero weights", () => {
    const zeros = { substitution: 0, deletion: 0, insertion: 0, transposition: 0, doubling: 0, mergeWords: 0, splitWord: 0 };
    expect(() => createTypoGenerator({ editWeights: zeros, cjkEditWeights: { drop: 0, repeat: 0, kanaSwap: 0 } })).toThrow(/every edit weight is 0/);
  });

  it("rejects a probability above 1", () => {
    expect(() => createTypoGenerator({ maxProbability: 1.5 })).toThrow(/maxProbability/);
  });
});

describe("perturbQueries", () => {
  const queries = [
    { id: "q1", text: "cordless drill", locale: "en" },
    { id: "q2", text: "pintura exterior", locale: "es" },
    { id: "q3", text: "tv" },
  ];
  const generator = createTypoGenerator({ baseProbability: 1, maxProbability: 1 });

  it("makes distinct copies", () => {
    const copies = generator.perturbQueries(queries, { seed: 5, ratio: 1, copies: 2 });
    const ofFirst = copies.filter((copy) => copy.originalId === "q1");
    expect(ofFirst.map((copy) => copy.id)).toEqual(["q1~typo1", "q1~typo2"]);
    expect(new Set(ofFirst.map((copy) => copy.text)).size).toBe(2);
    expect(ofFirst.map((copy) => copy.text)).not.toContain("cordless drill");
  });

  it("keeps the locale", () => {
    const copies = generator.perturbQueries(queries, { seed: 5, ratio: 1, copies: 1 });
    expect(copies.find((copy) => copy.originalId === "q2")?.locale).toBe("es");
  });

  it("skips unperturbable queries", () => {
    const copies = generator.perturbQueries(queries, { seed: 5, ratio: 1, copies: 1 });
    expect(copies.some((copy) => copy.originalId === "q3")).toBe(false);
  });

  it("ratio 0 selects none", () => {
    expect(generator.perturbQueries(queries, { seed: 5, ratio: 0, copies: 3 })).toEqual([]);
  });

  it("ignores other queries", () => {
    const alone = generator.perturbQueries([queries[0]!], { seed: 5, ratio: 1, copies: 2 });
    const together = generator.perturbQueries(queries, { seed: 5, ratio: 1, copies: 2 }).filter((copy) => copy.originalId === "q1");
    expect(together).toEqual(alone);
  });

  it("rejects a fractional copy count", () => {
    expect(() => generator.perturbQueries(queries, { seed: 5, ratio: 1, copies: 1.5 })).toThrow(/copies/);
  });
});
