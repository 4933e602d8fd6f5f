import { describe, expect, it } from "vitest";
import { extractColours } from "./attributes.js";
import { extractQuantities, quantitiesAgree } from "./quantities.js";

describe("extractQuantities", () => {
  it("reads fractions and units", () => {
    const [pipe, length] = extractQuantities("3/4 in. x 10 ft. Copper Pipe");
    expect(pipe?.unit).toBe("mm");
    expect(pipe?.value).toBeCloseTo(19.05, 9);
    expect(length?.value).toBeCloseTo(3048, 9);
  });

  it("reads voltage glued to the number", () => {
    expect(extractQuantities("18V cordless drill")).toEqual([{ value: 18, unit: "v" }]);
  });

  it("reads a mixed number", () => {
    expect(extractQuantities("1-1/2 in. pvc")[0]?.value).toBeCloseTo(38.1, 9);
  });

  it("reads a bare number without unit", () => {
    expect(extractQuantities("model 5000")).toEqual([{ value: 5000, unit: "" }]);
  });
});

describe("quantitiesAgree", () => {
  it("matches across units", () => {
    const [feet] = extractQuantities("1 ft");
    const [inches] = extractQuantities("12 in");
    expect(quantitiesAgree(feet!, inches!)).toBe(true);
  });

  it("rejects another value", () => {
    const [a] = extractQuantities("10 ft");
    const [b] = extractQuantities("25 ft");
    expect(quantitiesAgree(a!, b!)).toBe(false);
  });

  it("rejects another dimension", () => {
    const [a] = extractQuantities("10 ft");
    const [b] = extractQuantities("10 gal");
    expect(quantitiesAgree(a!, b!)).toBe(false);
  });
});

describe("extractColours", () => {
  it("maps three languages to one name", () => {
    expect([...extractColours("Black trash can")]).toEqual(["black"]);
    expect([...extractColours("cubo negro")]).toEqual(["black"]);
    expect([...extractColours("黒 ゴミ箱")]).toEqual(["black"]);
  });

  it("ignores colour words inside other words", () => {
    expect(extractColours("goldblatt trowel").size).toBe(0);
  });
});
