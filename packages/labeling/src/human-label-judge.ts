import type { Judgment } from "@mine-refine/core";
import { GUIDELINE_VERSION } from "./guideline.js";
import { type GradeOptions, type Judge, type JudgePair, type JudgeResult, pairKey } from "./judge.js";

export interface HumanLabelJudgeOptions {
  id?: string;
  /** Guideline the raters followed. Defaults to this package's version; set it when the labels came from another guideline. */
  guidelineVersion?: string;
}

/**
 * A judge that looks grades up in stored human judgments. Human labels count as certain, so the
 * confidence is 1. A pair without a stored judgment returns the error code `not_judged`.
 */
export class HumanLabelJudge implements Judge {
  readonly id: string;
  readonly guidelineVersion: string;
  private readonly grades = new Map<string, Judgment>();

  constructor(judgments: Iterable<Judgment>, options: HumanLabelJudgeOptions = {}) {
    this.id = options.id ?? "human";
    this.guidelineVersion = options.guidelineVersion ?? GUIDELINE_VERSION;
    for (const judgment of judgments) {
      this.grades.set(pairKey(judgment.queryId, judgment.productId), judgment);
    }
  }

  async grade(pairs: JudgePair[], options: GradeOptions = {}): Promise<JudgeResult[]> {
    options.signal?.throwIfAborted();
    const results = pairs.map((pair): JudgeResult => {
      const judgment = this.grades.get(pairKey(pair.queryId, pair.productId));
      if (judgment === undefined) {
        return {
          queryId: pair.queryId,
          productId: pair.productId,
          error: { code: "not_judged", message: `No stored judgment for query "${pair.queryId}" and product "${pair.productId}".` },
          judgeId: this.id,
        };
      }
      return {
        queryId: pair.queryId,
        productId: pair.productId,
        grade: judgment.grade,
        confidence: 1,
        judgeId: this.id,
        guidelineVersion: this.guidelineVersion,
      };
    });
    options.progress?.({ task: "judge", done: pairs.length, total: pairs.length });
    return results;
  }
}
