import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { CascadeJudge } from "./cascade-judge.js";
import { GUIDELINE_VERSION } from "./guideline.js";
import type { Judge, JudgePair, JudgeResult } from "./judge.js";
import { makePair } from "./test/pairs.js";
import { outcomeOf } from "./test/outcome.js";

/** A judge that returns scripted results by query id and records which pairs it saw. */
class ScriptedJudge implements Judge {
  readonly guidelineVersion = GUIDELINE_VERSION;
  readonly seen: string[] = [];
  constructor(
    readonly id: string,
    private readonly script: Record<string, { grade: Grade; confidence: number } | "error">,
  ) {}

  async grade(pairs: JudgePair[]): Promise<JudgeResult[]> {
    return pairs.map((pair) => {
      this.seen.push(pair.queryId);
      const entry = this.script[pair.queryId];
      if (entry === undefined || entry === "error") {
        return { queryId: pair.queryId, productId: pair.productId, error: { code: "scripted_error", message: "scripted" }, judgeId: this.id };
      }
      return { queryId: pair.queryId, productId: pair.productId, ...entry, judgeId: this.id, guidelineVersion: this.guidelineVersion };
    });
  }
}

const pairs = ["sure", "unsure", "failed"].map((id) => makePair(id, id, "p", "title"));

describe("CascadeJudge", () => {
  it("escalates low confidence and errors", async () => {
    const cheap = new ScriptedJudge("cheap", { sure: { grade: GRADE_RELEVANT, confidence: 0.95 }, unsure: { grade: GRADE_MODERATE, confidence: 0.5 }, failed: "error" });
    const strong = new ScriptedJudge("strong", { unsure: { grade: GRADE_IRRELEVANT, confidence: 0.9 }, failed: { grade: GRADE_MODERATE, confidence: 0.8 } });
    const results = await new CascadeJudge(cheap, strong, { minConfidence: 0.7 }).grade(pairs);

    expect(strong.seen).toEqual(["unsure", "failed"]);
    expect(results.map((result) => result.judgeId)).toEqual(["cheap", "strong", "strong"]);
    expect(results.map((result) => ("grade" in result ? result.grade : undefined))).toEqual([GRADE_RELEVANT, GRADE_IRRELEVANT, GRADE_MODERATE]);
  });

  it("keeps confidence equal to the threshold", async () => {
    const cheap = new ScriptedJudge("cheap", { sure: { grade: GRADE_RELEVANT, confidence: 0.7 } });
    const strong = new ScriptedJudge("strong", {});
    await new CascadeJudge(cheap, strong, { minConfidence: 0.7 }).grade([pairs[0] as JudgePair]);
    expect(strong.seen).toEqual([]);
  });

  it("returns the strong judge's error", async () => {
    const cheap = new ScriptedJudge("cheap", { unsure: { grade: GRADE_MODERATE, confidence: 0.1 } });
    const strong = new ScriptedJudge("strong", { unsure: "error" });
    const [result] = await new CascadeJudge(cheap, strong, { minConfidence: 0.5 }).grade([pairs[1] as JudgePair]);
    expect(outcomeOf(result)).toBe("scripted_error");
    expect(result?.judgeId).toBe("strong");
  });

  it("rejects a threshold above 1", () => {
    expect(() => new CascadeJudge(new ScriptedJudge("a", {}), new ScriptedJudge("b", {}), { minConfidence: 1.5 })).toThrow(/minConfidence/u);
  });
});
