import { type Grade, type Judgment, MineRefineError } from "@mine-refine/core";

/** Graded judgments by query id, then product id. */
export type Qrels = ReadonlyMap<string, ReadonlyMap<string, Grade>>;

/** Raw dataset labels by query id, then product id, for gain schemes that read them. */
export type RawLabels = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** Groups judgments into qrels and raw labels. Raises an error when a (query, product) pair repeats. */
export function qrelsFromJudgments(judgments: readonly Judgment[]): { qrels: Qrels; rawLabels: RawLabels } {
  const qrels = new Map<string, Map<string, Grade>>();
  const rawLabels = new Map<string, Map<string, string>>();
  for (const judgment of judgments) {
    let grades = qrels.get(judgment.queryId);
    let labels = rawLabels.get(judgment.queryId);
    if (grades === undefined || labels === undefined) {
      grades = new Map();
      labels = new Map();
      qrels.set(judgment.queryId, grades);
      rawLabels.set(judgment.queryId, labels);
    }
    if (grades.has(judgment.productId)) {
      throw new MineRefineError(
        "duplicate_judgment",
        `Query "${judgment.queryId}" has two judgments of product "${judgment.productId}"; merge them into one grade before evaluating`,
      );
    }
    grades.set(judgment.productId, judgment.grade);
    labels.set(judgment.productId, judgment.rawLabel);
  }
  return { qrels, rawLabels };
}
