import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStore } from "@mine-refine/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCliLogger } from "../log.js";
import { runPipeline } from "../pipeline.js";
import { loadTinyDemoConfig } from "../test/tiny-demo-config.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-audit-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface AuditSummary {
  findingsByRule: { under_graded: number; over_graded: number };
  reGradedCount: number;
  experiment: { labelErrorsBefore: number; labelErrorsAfter: number; flaggedErrors: number; errorsIntroduced: number; recall: number };
}

// Heavy simulated traffic on the small demo, so many pairs pass the evidence threshold.
const AUDIT_YAML = `labels: { flip: { fraction: 0.2, seed: 7 } }
audit:
  enabled: true
  engagement: { kind: simulate, seed: 5, meanClicksPerQuery: 400, trueGrades: data }
  judge: oracle
  oracleAccuracy: 1
  exportCsv: findings.csv
`;

describe("audit stage", () => {
  it("fixes flagged planted errors with a perfect oracle", async () => {
    const config = await loadTinyDemoConfig(dir, AUDIT_YAML);
    await runPipeline(config, { logger: createCliLogger("warn"), until: "audit" });
    const summary = JSON.parse(await readFile(path.join(config.runDir, "stages", "audit", "audit.json"), "utf8")) as AuditSummary;
    const findings = summary.findingsByRule.under_graded + summary.findingsByRule.over_graded;
    const experiment = summary.experiment;

    expect(findings).toBeGreaterThan(0);
    expect(experiment.recall).toBeGreaterThan(0);
    expect(summary.reGradedCount).toBe(findings);
    expect(experiment.errorsIntroduced).toBe(0);
    expect(experiment.labelErrorsAfter).toBe(experiment.labelErrorsBefore - experiment.flaggedErrors);

    const csv = (await readFile(path.join(dir, "findings.csv"), "utf8")).trim().split("\n");
    expect(csv[0]).toMatch(/^query_id,product_id,current_grade/);
    expect(csv).toHaveLength(findings + 1);

    const store = await openStore({ directory: path.join(config.runDir, "store") });
    try {
      let audited = 0;
      for await (const page of store.latestJudgments({ dataset: "demo", sources: ["audit"] })) audited += page.length;
      expect(audited).toBe(summary.reGradedCount);
      let stored = 0;
      for await (const page of store.auditFindings({ dataset: "demo" })) stored += page.length;
      expect(stored).toBe(findings);
      let human = 0;
      for await (const page of store.latestJudgments({ dataset: "demo", sources: ["human"] })) human += page.length;
      expect(human).toBeGreaterThan(audited);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("rejects the oracle without true grades", async () => {
    const config = await loadTinyDemoConfig(dir, "store: { enabled: false }\naudit: { enabled: true, judge: oracle }");
    await expect(runPipeline(config, { logger: createCliLogger("error"), until: "audit" })).rejects.toThrow(/oracle.*true grades/);
  });
});
