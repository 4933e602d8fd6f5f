import { ConfigError, InternalError } from "@mine-refine/core";
import { type GradeOptions, isJudgeGrade, type Judge, type JudgePair, type JudgeResult } from "./judge.js";

export interface CascadeJudgeOptions {
  /** Cheap results with a confidence below this value (in [0, 1]) go to the strong judge. */
  minConfidence: number;
  id?: string;
}

/**
 * Grades every pair with a cheap judge first and sends the pairs that it failed on, or graded with a
 * confidence below `minConfidence`, to a strong judge. Each result keeps the `judgeId` of the judge
 * that produced it, so a caller can count escalations. When the strong judge fails on a pair, its
 * error is returned, not the cheap judge's low-confidence grade.
 */
export class CascadeJudge implements Judge {
  readonly id: string;
  readonly guidelineVersion: string;
  private readonly minConfidence: number;

  constructor(
    private readonly cheap: Judge,
    private readonly strong: Judge,
    options: CascadeJudgeOptions,
  ) {
    if (!(options.minConfidence >= 0 && options.minConfidence <= 1)) {
      throw new ConfigError("CascadeJudge options", [{ path: "minConfidence", message: `expected a number in [0, 1], received ${options.minConfidence}` }]);
    }
    if (cheap.guidelineVersion !== strong.guidelineVersion) {
      throw new ConfigError("CascadeJudge options", [
        {
          path: "strong.guidelineVersion",
          message: `expected the guideline version of the cheap judge (${cheap.guidelineVersion}), received ${strong.guidelineVersion}; grade both under one guideline`,
        },
      ]);
    }
    this.minConfidence = options.minConfidence;
    this.guidelineVersion = cheap.guidelineVersion;
    this.id = options.id ?? `cascade(${cheap.id},${strong.id})`;
  }

  async grade(pairs: JudgePair[], options: GradeOptions = {}): Promise<JudgeResult[]> {
    const { signal, progress } = options;
    const cheapResults = await this.cheap.grade(pairs, { signal, progress: progress && ((event) => progress({ ...event, task: "judge-cheap" })) });
    const escalated: number[] = [];
    cheapResults.forEach((result, index) => {
      if (!isJudgeGrade(result) || result.confidence < this.minConfidence) escalated.push(index);
    });
    if (escalated.length === 0) return cheapResults;

    const strongPairs = escalated.map((index) => pairs[index] as JudgePair);
    const strongResults = await this.strong.grade(strongPairs, { signal, progress: progress && ((event) => progress({ ...event, task: "judge-strong" })) });
    if (strongResults.length !== strongPairs.length) {
      throw new InternalError(`judge ${this.strong.id} returned ${strongResults.length} results for ${strongPairs.length} pairs`);
    }
    const results = [...cheapResults];
    escalated.forEach((pairIndex, strongIndex) => {
      results[pairIndex] = strongResults[strongIndex] as JudgeResult;
    });
    return results;
  }
}
