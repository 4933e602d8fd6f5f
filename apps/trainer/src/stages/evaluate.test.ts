import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Comparison } from "@mine-refine/evaluation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trainConfigSchema } from "../config/schema.js";
import { createCliLogger } from "../log.js";
import { runPipeline } from "../pipeline.js";
import { loadTinyDemoConfig } from "../test/tiny-demo-config.js";

const SYSTEMS = ["bm25", "bm25-lancedb", "untrained", "stage1", "hybrid", "hybrid-rrf"];
const TEST_TIMEOUT_MS = 90_000;

let dir = "";
let evaluateDir = "";
let comparison: Comparison;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-evaluate-stage-"));
  const storeOff = "store" in trainConfigSchema.shape ? ["store.enabled=false"] : [];
  const config = await loadTinyDemoConfig(dir, "", [
    ...storeOff,
    "evaluation.baselines=[bm25, bm25-lancedb, untrained, hybrid]",
    "evaluation.ks=[10, 50]",
    "evaluation.samples=200",
  ]);
  await runPipeline(config, { logger: createCliLogger("warn") });
  evaluateDir = path.join(config.runDir, "stages", "evaluate");
  comparison = JSON.parse(await readFile(path.join(evaluateDir, "metrics.json"), "utf8")) as Comparison;
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

describe("evaluate stage", () => {
  it("evaluates stage1, baselines and hybrids", () => {
    expect(comparison.systems.map((system) => system.name)).toEqual(SYSTEMS);
  });

  it("writes the evaluator's files", async () => {
    for (const file of ["report.md", "report.html", "trec/qrels.txt", ...SYSTEMS.map((name) => `trec/${name}.run`)]) {
      expect((await stat(path.join(evaluateDir, file))).size, file).toBeGreaterThan(0);
    }
  });

  it("chooses thresholds on dev", () => {
    const stage1 = comparison.systems.find((system) => system.name === "stage1");
    expect(stage1?.thresholds.drift.map((cut) => cut.minGrade)).toEqual([1, 2]);
    expect(stage1?.thresholds.curves[0]?.points.length).toBeGreaterThan(0);
  });
});
