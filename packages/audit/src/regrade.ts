import type { Grade, Judgment, Product, ProgressCallback } from "@mine-refine/core";
import { pairKey } from "./engagement.js";
import type { AuditFinding, AuditRule } from "./rules.js";

/** One pair sent to a judge, the same shape as the labeling package's `JudgePair`. */
export interface AuditJudgePair {
  queryId: string;
  query: string;
  productId: string;
  product: Product;
}

export interface AuditJudgeGrade {
  queryId: string;
  productId: string;
  grade: Grade;
  /** Probability in [0, 1] that the judge gives to `grade`. */
  confidence: number;
  judgeId: string;
  guidelineVersion: string;
}

export interface AuditJudgeFailure {
  queryId: string;
  productId: string;
  error: { code: string; message: string };
  judgeId: string;
}

export type AuditJudgeResult = AuditJudgeGrade | AuditJudgeFailure;

/**
 * The part of a judge that re-grading uses. It is declared here, structurally equal to the labeling
 * package's `Judge`, so that audit does not depend on labeling and any labeling judge fits.
 */
export interface AuditJudge {
  id: string;
  guidelineVersion: string;
  grade(pairs: AuditJudgePair[], options?: { signal?: AbortSignal; progress?: ProgressCallback }): Promise<AuditJudgeResult[]>;
}

/** Origin of an audited grade. */
export interface AuditProvenance {
  source: "audit";
  /** Judge id, or the expert id for grades imported from a review sheet. */
  judgeId: string;
  guidelineVersion: string;
  /** Judge confidence in [0, 1]; 1 for expert grades. */
  confidence: number;
  /** Rule that flagged the pair; undefined for an expert row without a known rule. */
  rule?: AuditRule;
  previousGrade: Grade;
}

/** A judgment re-graded by the audit. `rawLabel` is the new grade as text. */
export interface AuditedJudgment extends Judgment {
  provenance: AuditProvenance;
}

export interface ReGradeOptions {
  /** Query text and product of every flagged pair, which the judge reads. */
  catalog: { queries: ReadonlyMap<string, string>; products: ReadonlyMap<string, Product> };
  /** Pairs sent to the judge per call. Default 64. */
  batchSize?: number;
  signal?: AbortSignal;
  progress?: ProgressCallback;
}

export interface ReGradeResult {
  /** One new judgment per pair the judge graded, including those whose grade stayed the same. */
  judgments: AuditedJudgment[];
  /** Pairs the judge could not grade, and pairs missing from the catalog (code `not_in_catalog`). */
  failures: AuditJudgeFailure[];
}

/** Sends flagged pairs to a judge in batches and returns new judgments; the findings are not modified. */
export async function reGradeFindings(findings: readonly AuditFinding[], judge: AuditJudge, options: ReGradeOptions): Promise<ReGradeResult> {
  const batchSize = options.batchSize ?? 64;
  const judgments: AuditedJudgment[] = [];
  const failures: AuditJudgeFailure[] = [];
  const findingByPair = new Map<string, AuditFinding>();
  const pairs: AuditJudgePair[] = [];
  for (const finding of findings) {
    const query = options.catalog.queries.get(finding.queryId);
    const product = options.catalog.products.get(finding.productId);
    if (query === undefined || product === undefined) {
      const missing = query === undefined ? `query "${finding.queryId}"` : `product "${finding.productId}"`;
      failures.push({
        queryId: finding.queryId,
        productId: finding.productId,
        judgeId: judge.id,
        error: { code: "not_in_catalog", message: `${missing} is not in the catalog passed to reGradeFindings; add it to options.catalog` },
      });
      continue;
    }
    findingByPair.set(pairKey(finding.queryId, finding.productId), finding);
    pairs.push({ queryId: finding.queryId, query, productId: finding.productId, product });
  }

  for (let start = 0; start < pairs.length; start += batchSize) {
    const batch = pairs.slice(start, start + batchSize);
    const results = await judge.grade(batch, { signal: options.signal });
    for (const result of results) {
      if (!("grade" in result)) {
        failures.push(result);
        continue;
      }
      const finding = findingByPair.get(pairKey(result.queryId, result.productId));
      if (finding === undefined) continue;
      judgments.push({
        queryId: result.queryId,
        productId: result.productId,
        grade: result.grade,
        rawLabel: String(result.grade),
        provenance: {
          source: "audit",
          judgeId: result.judgeId,
          guidelineVersion: result.guidelineVersion,
          confidence: result.confidence,
          rule: finding.rule,
          previousGrade: finding.currentGrade,
        },
      });
    }
    options.progress?.({ task: "re-grade findings", done: Math.min(start + batchSize, pairs.length), total: pairs.length });
  }
  return { judgments, failures };
}

/**
 * Returns a copy of the original judgments with audited grades put in place of the pairs they cover.
 * Other judgments are copied unchanged, and the inputs are not modified.
 */
export function applyAuditedJudgments(originals: readonly Judgment[], audited: readonly AuditedJudgment[]): Judgment[] {
  const byPair = new Map<string, AuditedJudgment>();
  for (const judgment of audited) byPair.set(pairKey(judgment.queryId, judgment.productId), judgment);
  return originals.map((original) => {
    const replacement = byPair.get(pairKey(original.queryId, original.productId));
    return replacement === undefined ? { ...original } : { ...replacement, provenance: { ...replacement.provenance } };
  });
}
