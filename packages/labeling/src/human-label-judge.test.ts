import { GRADE_MODERATE } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { HumanLabelJudge } from "./human-label-judge.js";
import { makePair } from "./test/pairs.js";
import { outcomeOf } from "./test/outcome.js";

describe("HumanLabelJudge", () => {
  const judge = new HumanLabelJudge([{ queryId: "q1", productId: "p1", grade: GRADE_MODERATE, rawLabel: "S" }]);

  it("looks up a stored grade", async () => {
    const [result] = await judge.grade([makePair("q1", "drill", "p1", "Drill")]);
    expect(result).toMatchObject({ grade: GRADE_MODERATE, confidence: 1, judgeId: "human" });
  });

  it("marks a missing pair not_judged", async () => {
    const [result] = await judge.grade([makePair("q1", "drill", "p2", "Saw")]);
    expect(outcomeOf(result)).toBe("not_judged");
  });
});
