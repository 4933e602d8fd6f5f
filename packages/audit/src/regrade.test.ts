import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, type Judgment, type Product } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { auditReport } from "./audit-report.js";
import { pairKey } from "./engagement.js";
import { createOracleJudge, flipGrades } from "./noise-experiment.js";
import { applyAuditedJudgments, reGradeFindings } from "./regrade.js";
import type { AuditFinding } from "./rules.js";
import { Rng } from "@mine-refine/core";

const evidence = { impressions: 1, clicks: 0, addToCarts: 0, purchases: 0, expectedExaminations: 1, signal: "click" as const, observedRate: 0, posteriorMean: 0, threshold: 0 };
const originals: Judgment[] = [
  { queryId: "q1", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "3" },
  { queryId: "q1", productId: "p2", grade: GRADE_IRRELEVANT, rawLabel: "1" },
  { queryId: "q2", productId: "p3", grade: GRADE_RELEVANT, rawLabel: "3" },
  { queryId: "q2", productId: "p4", grade: GRADE_MODERATE, rawLabel: "2" },
];
// True grades: p1 and p2 are mislabelled, p3 and p4 are right.
const trueGrades = new Map<string, Grade>([
  [pairKey("q1", "p1"), GRADE_IRRELEVANT],
  [pairKey("q1", "p2"), GRADE_RELEVANT],
  [pairKey("q2", "p3"), GRADE_RELEVANT],
  [pairKey("q2", "p4"), GRADE_MODERATE],
]);
// p1 (wrong) and p3 (right) are flagged.
const findings: AuditFinding[] = [
  { queryId: "q1", productId: "p1", currentGrade: GRADE_RELEVANT, rule: "over_graded", confidence: 0.99, suggestedGrade: GRADE_IRRELEVANT, evidence },
  { queryId: "q2", productId: "p3", currentGrade: GRADE_RELEVANT, rule: "over_graded", confidence: 0.95, suggestedGrade: GRADE_MODERATE, evidence },
];
const product = (id: string): Product => ({ id, title: id, fields: {} });
const catalog = { queries: new Map([["q1", "drill"], ["q2", "saw"]]), products: new Map(["p1", "p2", "p3", "p4"].map((id) => [id, product(id)])) };

describe("reGradeFindings", () => {
  it("returns the judge's grades with provenance", async () => {
    const judge = createOracleJudge(trueGrades, { accuracy: 1, seed: 1 });
    const { judgments } = await reGradeFindings(findings, judge, { catalog });
    expect(judgments[0]).toEqual({
      queryId: "q1",
      productId: "p1",
      grade: GRADE_IRRELEVANT,
      rawLabel: "0",
      provenance: { source: "audit", judgeId: "oracle-1", guidelineVersion: "oracle", confidence: 1, rule: "over_graded", previousGrade: GRADE_RELEVANT },
    });
  });

  it("reports pairs missing from the catalog", async () => {
    const judge = createOracleJudge(trueGrades, { accuracy: 1, seed: 1 });
    const { failures } = await reGradeFindings(findings, judge, { catalog: { ...catalog, products: new Map() } });
    expect(failures.map((failure) => failure.error.code)).toEqual(["not_in_catalog", "not_in_catalog"]);
  });

  it("leaves originals unchanged", async () => {
    const before = structuredClone(originals);
    const judge = createOracleJudge(trueGrades, { accuracy: 1, seed: 1 });
    const { judgments } = await reGradeFindings(findings, judge, { catalog });
    applyAuditedJudgments(originals, judgments);
    expect(originals).toEqual(before);
  });
});

describe("auditReport", () => {
  it("scores flagging against true grades", async () => {
    const judge = createOracleJudge(trueGrades, { accuracy: 1, seed: 1 });
    const { judgments: audited } = await reGradeFindings(findings, judge, { catalog });
    const report = auditReport({ judgments: originals, findings, audited, trueGrades });
    // One of two findings is a real error, so precision is 1/2. One of two errors is flagged, so recall
    // is 1/2. Re-grading fixes p1, so errors go from 2 to 1 (half removed), and p3 stays right.
    expect(report.findingsByRule.over_graded).toBe(2);
    expect(report.flaggedShare).toBe(0.5);
    expect(report.gradesChanged).toBe(1);
    expect(report.experiment?.precision).toBe(0.5);
    expect(report.experiment?.recall).toBe(0.5);
    expect(report.experiment?.errorsRemovedShare).toBe(0.5);
    expect(report.experiment?.errorsIntroduced).toBe(0);
  });
});

describe("flipGrades", () => {
  it("flips the requested share to other grades", () => {
    const many: Judgment[] = Array.from({ length: 50 }, (_, i) => ({ queryId: "q", productId: `p${i}`, grade: GRADE_MODERATE, rawLabel: "" }));
    const { judgments, flipped } = flipGrades(many, 0.1, new Rng(2));
    expect(flipped.size).toBe(5);
    expect(judgments.filter((j) => j.grade !== GRADE_MODERATE).length).toBe(5);
  });
});
