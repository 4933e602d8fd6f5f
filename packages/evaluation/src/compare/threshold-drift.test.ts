import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { analyseThresholds } from "./system-thresholds.js";
import { perQueryBestThresholds, thresholdDrift } from "./threshold-drift.js";

const G0 = GRADE_IRRELEVANT;
const G1 = GRADE_MODERATE;
const G2 = GRADE_RELEVANT;
const TOLERANCE_DIGITS = 12;

describe("perQueryBestThresholds", () => {
  const groups = new Map<string, { scores: number[]; grades: Grade[] }>([
    ["separable", { scores: [0.1, 0.4, 0.6, 0.9], grades: [G0, G1, G2, G2] }],
    ["overlapping", { scores: [0.2, 0.3, 0.5], grades: [G2, G0, G2] }],
    ["one-sided", { scores: [0.7, 0.8], grades: [G2, G2] }],
  ]);

  it("takes the gap midpoint when separable", () => {
    expect(perQueryBestThresholds(groups, G2).get("separable")).toBeCloseTo(0.5, TOLERANCE_DIGITS);
  });

  it("maximises balanced accuracy under overlap", () => {
    // At 0.25 one positive falls below, so balanced accuracy is (0/1 + 1/2) / 2 = 0.25; at 0.4 the
    // negative falls below too, giving (1/1 + 1/2) / 2 = 0.75.
    expect(perQueryBestThresholds(groups, G2).get("overlapping")).toBeCloseTo(0.4, TOLERANCE_DIGITS);
  });

  it("skips queries with one side only", () => {
    expect(perQueryBestThresholds(groups, G2).has("one-sided")).toBe(false);
  });

  it("moves with the grade cut", () => {
    expect(perQueryBestThresholds(groups, G1).get("separable")).toBeCloseTo(0.25, TOLERANCE_DIGITS);
  });
});

describe("thresholdDrift", () => {
  it("reports test minus dev", () => {
    expect(thresholdDrift(G2, 0.5, 0.65, []).difference).toBeCloseTo(0.15, TOLERANCE_DIGITS);
  });

  it("summarises per-query spread", () => {
    const drift = thresholdDrift(G2, 0.5, 0.5, [0.2, 0.4, 0.6, 0.8, 1.0]);
    expect(drift.perQuery.quantiles?.p50).toBeCloseTo(0.6, TOLERANCE_DIGITS);
    expect(drift.perQuery.interquartileRange).toBeCloseTo(0.4, TOLERANCE_DIGITS);
  });

  it("writes infinite thresholds as null", () => {
    expect(thresholdDrift(G2, Number.POSITIVE_INFINITY, 0.3, []).dev).toBeNull();
  });
});

describe("analyseThresholds", () => {
  // Dev separates the grades at 0.3 and 0.6; test scores sit 0.15 higher.
  const dev = new Map<string, { scores: number[]; grades: Grade[] }>([["d", { scores: [0.1, 0.2, 0.4, 0.5, 0.7, 0.8], grades: [G0, G0, G1, G1, G2, G2] }]]);
  const test = new Map<string, { scores: number[]; grades: Grade[] }>([["t", { scores: [0.25, 0.35, 0.55, 0.65, 0.85, 0.95], grades: [G0, G0, G1, G1, G2, G2] }]]);
  const result = analyseThresholds(dev, test);

  it("chooses thresholds on dev", () => {
    expect(result.dev?.moderate).toBeCloseTo(0.3, TOLERANCE_DIGITS);
    expect(result.dev?.relevant).toBeCloseTo(0.6, TOLERANCE_DIGITS);
  });

  it("measures the drift to test", () => {
    expect(result.drift[0]!.difference).toBeCloseTo(0.15, TOLERANCE_DIGITS);
    expect(result.drift[1]!.difference).toBeCloseTo(0.15, TOLERANCE_DIGITS);
  });

  it("reports dev thresholds on test", () => {
    // Predicted moderate: 0.35 (irrelevant) and 0.55 (moderate); 0.65 is predicted relevant.
    expect(result.test?.perGrade[G1].precision).toBeCloseTo(1 / 2, TOLERANCE_DIGITS);
  });

  it("marks the dev threshold on the curve", () => {
    const relevantCurve = result.curves.find((curve) => curve.minGrade === 2);
    // Test pairs at or above 0.6: 0.65 (moderate), 0.85 and 0.95 (relevant).
    expect(relevantCurve?.chosen?.precision).toBeCloseTo(2 / 3, TOLERANCE_DIGITS);
    expect(relevantCurve?.chosen?.recall).toBe(1);
  });
});
