import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT } from "@mine-refine/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportFindingsCsv, importExpertCsv } from "./findings-csv.js";
import type { AuditFinding } from "./rules.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "audit-csv-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const evidence = { impressions: 80, clicks: 0, addToCarts: 0, purchases: 0, expectedExaminations: 40, signal: "click" as const, observedRate: 0, posteriorMean: 0.03, threshold: 0.3 };
const findings: AuditFinding[] = [
  { queryId: "q,1", productId: "p1", currentGrade: GRADE_RELEVANT, rule: "over_graded", confidence: 0.97, suggestedGrade: GRADE_IRRELEVANT, evidence },
  { queryId: "q2", productId: "p2", currentGrade: GRADE_IRRELEVANT, rule: "under_graded", confidence: 0.95, suggestedGrade: GRADE_RELEVANT, evidence },
];

describe("exportFindingsCsv and importExpertCsv", () => {
  it("round-trips reviewed rows", async () => {
    const path = join(dir, "review.csv");
    await exportFindingsCsv(path, findings);
    const lines = (await readFile(path, "utf8")).trimEnd().split("\n");
    // The expert fills in the first row only.
    lines[1] = lines[1]!.replace(/,,$/u, ",1,looks like a substitute");
    await writeFile(path, `${lines.join("\n")}\n`);
    const { judgments, unreviewedRows } = await importExpertCsv(path, { expertId: "alice" });
    expect(unreviewedRows).toBe(1);
    expect(judgments).toEqual([
      {
        queryId: "q,1",
        productId: "p1",
        grade: GRADE_MODERATE,
        rawLabel: "1",
        provenance: { source: "audit", judgeId: "alice", guidelineVersion: "expert-review", confidence: 1, rule: "over_graded", previousGrade: GRADE_RELEVANT },
      },
    ]);
  });

  it("rejects an invalid expert grade", async () => {
    const path = join(dir, "bad-grade.csv");
    await writeFile(path, "query_id,product_id,current_grade,expert_grade\nq1,p1,2,3\n");
    await expect(importExpertCsv(path)).rejects.toThrow(/row 1, column "expert_grade": expected a grade/);
  });

  it("rejects a repeated pair", async () => {
    const path = join(dir, "dup.csv");
    await writeFile(path, "query_id,product_id,current_grade,expert_grade\nq1,p1,2,1\nq1,p1,2,0\n");
    await expect(importExpertCsv(path)).rejects.toThrow(/row 2.*more than once/);
  });

  it("rejects a missing column", async () => {
    const path = join(dir, "no-expert.csv");
    await writeFile(path, "query_id,product_id,current_grade\nq1,p1,2\n");
    await expect(importExpertCsv(path)).rejects.toThrow(/lacks expert_grade/);
  });

  it("rejects an unknown rule", async () => {
    const path = join(dir, "rule.csv");
    await writeFile(path, "query_id,product_id,current_grade,rule,expert_grade\nq1,p1,2,gut_feeling,1\n");
    await expect(importExpertCsv(path)).rejects.toThrow(/column "rule"/);
  });
});
