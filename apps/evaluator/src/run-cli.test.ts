import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Logger, silentLogger } from "@mine-refine/core";
import type { Comparison } from "@mine-refine/evaluation";
import { saveCheckpoint, TwoTowerEncoder } from "@mine-refine/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

// A small demo catalog and a tiny untrained tower keep the whole comparison to a few seconds.
const CONFIG = `name: tiny
seed: 5
data:
  source: { kind: demo, seed: 7, products: 300, queriesPerLocale: 40 }
  split: { seed: 13, devFraction: 0.2, testFraction: 0.2 }
model:
  productFields: [title, brand]
evaluation:
  ks: [10, 50]
`;
const ENCODER = {
  featurizer: { buckets: 4096, seed: 5, wordNgrams: [1, 2], charNgrams: { latin: [3, 5] as [number, number], cjk: [1, 2] as [number, number] }, productFields: ["title", "brand"] },
  embeddingDim: 16,
  hiddenDims: [16],
  outputDim: 16,
  pooling: "sqrt" as const,
  activation: "relu" as const,
};
const SYSTEMS = ["bm25", "bm25-lancedb", "untrained", "tiny-stage1", "hybrid", "hybrid-rrf"];
const TEST_TIMEOUT_MS = 60_000;

let workDir = "";
let configPath = "";
let outDir = "";
let comparison: Comparison;
let html = "";
const quiet: Logger = silentLogger;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "mine-refine-evaluator-"));
  configPath = path.join(workDir, "tiny.yaml");
  await writeFile(configPath, CONFIG, "utf8");
  // A trainer run folder: the evaluator takes stages/stage1/checkpoint from it.
  const encoder = new TwoTowerEncoder(ENCODER, { seed: 11 });
  await saveCheckpoint(path.join(workDir, "run", "stages", "stage1", "checkpoint"), encoder, { stage: "stage1" });
  await writeFile(path.join(workDir, "run", "config.json"), "{}\n", "utf8");

  outDir = path.join(workDir, "out");
  const code = await runCli(
    ["evaluate", "--data", configPath, "--model", `tiny=${path.join(workDir, "run")}`, "--baselines", "bm25,bm25-lancedb,untrained,hybrid", "--out", outDir, "--samples", "200"],
    { logger: quiet },
  );
  expect(code).toBe(0);
  comparison = JSON.parse(await readFile(path.join(outDir, "metrics.json"), "utf8")) as Comparison;
  html = await readFile(path.join(outDir, "report.html"), "utf8");
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  if (workDir !== "") await rm(workDir, { recursive: true, force: true });
});

function countMatches(text: string, pattern: string): number {
  return text.split(pattern).length - 1;
}

describe("evaluator CLI end to end", () => {
  it("evaluates every system", () => {
    expect(comparison.systems.map((system) => system.name)).toEqual(SYSTEMS);
  });

  it("writes the reports and TREC files", async () => {
    for (const file of ["report.md", "report.html", "trec/qrels.txt", ...SYSTEMS.map((name) => `trec/${name}.run`)]) {
      expect((await stat(path.join(outDir, file))).size, file).toBeGreaterThan(0);
    }
  });

  it("compares every pair on every metric", () => {
    const pairs = (SYSTEMS.length * (SYSTEMS.length - 1)) / 2;
    for (const metric of comparison.metrics) expect(comparison.comparisons[metric]?.length, metric).toBe(pairs);
    expect(comparison.metrics).toContain("mrr@10");
    expect(comparison.metrics).toContain("map");
  });

  it("chooses the hybrid weight on dev", () => {
    const weighted = comparison.hybrids.find((hybrid) => hybrid.name === "hybrid");
    expect(weighted?.choice?.grid).toHaveLength(11);
    expect(weighted?.choice?.grid.map((point) => point.denseWeight)).toContain(weighted?.denseWeight);
  });

  it("segments include misspelled queries", () => {
    const misspelled = comparison.segments.find((segment) => segment.segment === "typo:misspelled");
    expect(misspelled?.queries).toBeGreaterThan(0);
    expect(comparison.segments.some((segment) => segment.segment.startsWith("locale="))).toBe(true);
    expect(comparison.segments.some((segment) => segment.segment.startsWith("frequency="))).toBe(true);
  });

  it("both BM25 implementations broadly agree", () => {
    const agreement = comparison.lexicalAgreement.find((row) => row.a === "bm25" && row.b === "bm25-lancedb");
    // Tokenisation differs (LanceDB splits on its own rules), so the top 10 lists overlap but are not equal.
    expect(agreement?.meanOverlap).toBeGreaterThan(0.5);
  });

  it("report HTML contains the charts", () => {
    expect(countMatches(html, 'data-chart="score-histogram"')).toBe(SYSTEMS.length);
    expect(countMatches(html, 'data-chart="threshold-curves"')).toBe(SYSTEMS.length);
    expect(countMatches(html, 'class="threshold-chosen"')).toBeGreaterThan(0);
    expect(html).toContain('id="segments"');
  });
});

describe("evaluator CLI errors", () => {
  it("names a missing checkpoint", async () => {
    const missing = path.join(workDir, "nothing-here");
    await mkdir(missing, { recursive: true });
    await expect(runCli(["evaluate", "--data", configPath, "--model", `x=${missing}`, "--out", outDir], { logger: quiet })).rejects.toThrow(
      /nothing-here.*no checkpoint found/,
    );
  });

  it("rejects an unknown baseline", async () => {
    await expect(runCli(["evaluate", "--data", configPath, "--baselines", "bm25,bm42", "--out", outDir], { logger: quiet })).rejects.toThrow(
      /unknown baseline "bm42"/,
    );
  });

  it("rejects a split without queries", async () => {
    const emptyTest = path.join(workDir, "empty-test.yaml");
    await writeFile(emptyTest, CONFIG.replace("testFraction: 0.2", "testFraction: 0"), "utf8");
    await expect(runCli(["evaluate", "--data", emptyTest, "--baselines", "bm25", "--out", outDir], { logger: quiet })).rejects.toThrow(
      /test split has no queries/,
    );
  });

  it("rejects untrained without a model", async () => {
    await expect(runCli(["evaluate", "--data", configPath, "--baselines", "untrained", "--out", outDir], { logger: quiet })).rejects.toThrow(
      /no --model was given/,
    );
  });
});

describe("evaluator CLI gains", () => {
  it("esci gains change ndcg", async () => {
    const esciOut = path.join(workDir, "out-esci");
    const code = await runCli(["evaluate", "--data", configPath, "--baselines", "bm25", "--gains", "esci", "--no-typos", "--samples", "50", "--out", esciOut], {
      logger: quiet,
    });
    expect(code).toBe(0);
    const esci = JSON.parse(await readFile(path.join(esciOut, "metrics.json"), "utf8")) as Comparison;
    const graded = comparison.systems.find((system) => system.name === "bm25")!.means["ndcg@10"];
    expect(esci.gains).toBe("esci");
    expect(esci.systems[0]!.means["ndcg@10"]).not.toBe(graded);
  });

  it("rejects an unknown gain preset", async () => {
    expect(await runCli(["evaluate", "--data", configPath, "--gains", "binary", "--out", outDir], { logger: quiet })).toBe(2);
  });
});
