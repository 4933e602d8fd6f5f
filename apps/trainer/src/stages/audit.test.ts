import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeFile } from "node:fs/promises";
import { GRADE_IRRELEVANT } from "@mine-refine/core";
import { generateDemoCatalog, splitQueries } from "@mine-refine/data";
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

  it("flags a converting irrelevant pair from aggregates", async () => {
    const catalog = generateDemoCatalog({ seed: 7, products: 300, queriesPerLocale: 40 });
    const train = new Set(splitQueries(catalog, { seed: 13, devFraction: 0.1, testFraction: 0.2 }).train);
    const queryText = new Map(catalog.queries.map((query) => [query.id, query.text]));
    const judged = catalog.judgments.filter((judgment) => train.has(judgment.queryId));
    const target = judged.find((judgment) => judgment.grade === GRADE_IRRELEVANT)!;
    // Per grade 0, 1, 2: clicks, add-to-carts and purchases out of 100 impressions at mean position 3.
    const typical = [
      [5, 1, 0],
      [20, 4, 1],
      [45, 10, 5],
    ];
    const rows = ["query,product_id,impressions,clicks,add_to_cart,purchases,mean_position"];
    for (const judgment of judged) {
      const [clicks, carts, purchases] = judgment === target ? [45, 25, 12] : typical[judgment.grade]!;
      rows.push(`"${queryText.get(judgment.queryId)}",${judgment.productId},100,${clicks},${carts},${purchases},3`);
    }
    rows.push(`"${queryText.get(target.queryId)}",${target.productId},1,5,0,0,1`); // more clicks than impressions
    await writeFile(path.join(dir, "aggregates.csv"), `${rows.join("\n")}\n`);

    const yaml = `store: { enabled: false }
audit:
  enabled: true
  engagement: { kind: aggregates, path: aggregates.csv, window: { start: "2024-01-01T00:00:00Z", end: "2024-02-01T00:00:00Z" } }
  correction: ipw
  judge: local
  exportCsv: findings.csv
`;
    const config = await loadTinyDemoConfig(dir, yaml, ["labels.local.epochs=3"]);
    await runPipeline(config, { logger: createCliLogger("error"), until: "audit" });
    const audited = (await readFile(path.join(config.runDir, "stages", "audit", "audited.jsonl"), "utf8")).trim().split("\n");
    const pairs = audited.map((line) => JSON.parse(line) as { queryId: string; productId: string; provenance: { rule: string } });
    expect(pairs.some((pair) => pair.queryId === target.queryId && pair.productId === target.productId && pair.provenance.rule === "under_graded")).toBe(true);
    const report = await readFile(path.join(config.runDir, "stages", "audit", "audit.md"), "utf8");
    expect(report).toMatch(/inconsistent rows \| 1 of /);

    // An expert fills in the exported sheet; the next run takes the expert's grade over the judge's.
    const sheet = (await readFile(path.join(dir, "findings.csv"), "utf8")).trim().split("\n");
    const targetRow = sheet.findIndex((line) => line.startsWith(`${target.queryId},${target.productId},`));
    expect(targetRow).toBeGreaterThan(0);
    sheet[targetRow] = sheet[targetRow]!.replace(/,,$/, ",1,sold as a set");
    await writeFile(path.join(dir, "reviewed.csv"), `${sheet.join("\n")}\n`);
    const reviewed = await loadTinyDemoConfig(dir, `${yaml}  importCsv: reviewed.csv\n`, ["labels.local.epochs=3", "runDir=run-reviewed"]);
    await runPipeline(reviewed, { logger: createCliLogger("error"), until: "audit" });
    const expertLines = (await readFile(path.join(reviewed.runDir, "stages", "audit", "audited.jsonl"), "utf8")).trim().split("\n");
    const expert = expertLines
      .map((line) => JSON.parse(line) as { queryId: string; productId: string; grade: number; provenance: { judgeId: string } })
      .find((pair) => pair.queryId === target.queryId && pair.productId === target.productId);
    expect(expert?.grade).toBe(1);
    expect(expert?.provenance.judgeId).toBe("expert");
  }, 60_000);

  it("rejects the oracle without true grades", async () => {
    const config = await loadTinyDemoConfig(dir, "store: { enabled: false }\naudit: { enabled: true, judge: oracle }");
    await expect(runPipeline(config, { logger: createCliLogger("error"), until: "audit" })).rejects.toThrow(/oracle.*true grades/);
  });
});
