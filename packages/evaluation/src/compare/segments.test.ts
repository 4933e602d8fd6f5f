import { GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { segmentQueries } from "./segments.js";

const queries = [
  { id: "q1", text: "drill", locale: "en" },
  { id: "q2", text: "cordless drill", locale: "en" },
  { id: "q3", text: "taladro inalámbrico de 18 voltios", locale: "es" },
  { id: "q4", text: "red paint roller", locale: "en" },
  { id: "q5", text: "no judgments here", locale: "en" },
];
const judged = (count: number): Map<string, Grade> =>
  new Map(Array.from({ length: count }, (_, i) => [`p${i}`, i === 0 ? GRADE_RELEVANT : GRADE_MODERATE] as const));
const qrels = new Map([
  ["q1", judged(1)],
  ["q2", judged(4)],
  ["q3", judged(2)],
  ["q4", judged(3)],
]);

function segment(name: string): string[] | undefined {
  return segmentQueries(queries, qrels).find((item) => item.name === name)?.queryIds;
}

describe("segmentQueries", () => {
  it("groups by locale", () => {
    expect(segment("locale=en")).toEqual(["q1", "q2", "q4"]);
    expect(segment("locale=es")).toEqual(["q3"]);
  });

  it("buckets query length in words", () => {
    expect(segment("words=1")).toEqual(["q1"]);
    expect(segment("words=2")).toEqual(["q2"]);
    expect(segment("words=3-4")).toEqual(["q4"]);
    expect(segment("words=5+")).toEqual(["q3"]);
  });

  it("splits frequency into thirds by judged products", () => {
    // Four queries give thirds of ceil(4 / 3) = 2, 2 and 0; the empty tail is left out.
    expect(segment("frequency=head")).toEqual(["q2", "q4"]);
    expect(segment("frequency=torso")).toEqual(["q3", "q1"]);
    expect(segment("frequency=tail")).toBeUndefined();
  });

  it("skips queries without judgments", () => {
    const all = segmentQueries(queries, qrels).flatMap((item) => item.queryIds);
    expect(all).not.toContain("q5");
  });
});
