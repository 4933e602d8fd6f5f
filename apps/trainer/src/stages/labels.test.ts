import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GRADE_MODERATE } from "@mine-refine/core";
import { generateDemoCatalog, splitQueries } from "@mine-refine/data";
import { openStore } from "@mine-refine/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCliLogger } from "../log.js";
import { runPipeline } from "../pipeline.js";
import { startFakeChatServer } from "../test/fake-chat-server.js";
import { loadTinyDemoConfig } from "../test/tiny-demo-config.js";
import { prepareData } from "./data.js";
import { applyLabelChanges, type LabelChange, readLabelChanges } from "./labels.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-labels-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Judged pairs of the tiny demo's train split, split as the data stage splits them. */
function tinyTrainPairCount(queriesPerLocale = 40): number {
  const catalog = generateDemoCatalog({ seed: 7, products: 300, queriesPerLocale });
  const train = new Set(splitQueries(catalog, { seed: 13, devFraction: 0.1, testFraction: 0.2 }).train);
  return catalog.judgments.filter((judgment) => train.has(judgment.queryId)).length;
}

async function readSummary(runDir: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(runDir, "stages", "labels", "labels.json"), "utf8")) as Record<string, unknown>;
}

describe("labels stage", () => {
  it("is off for the human judge", async () => {
    const config = await loadTinyDemoConfig(dir, "store: { enabled: false }");
    await runPipeline(config, { logger: createCliLogger("warn"), until: "data" });
    await runPipeline(config, { logger: createCliLogger("warn"), until: "labels" });
    await expect(readFile(path.join(config.runDir, "stages", "labels", "labels.json"))).rejects.toThrow(/ENOENT/);
  });

  it("flips the configured share", async () => {
    const config = await loadTinyDemoConfig(dir, "store: { enabled: false }\nlabels: { flip: { fraction: 0.1, seed: 7 } }");
    await runPipeline(config, { logger: createCliLogger("warn"), until: "labels" });
    const changes = await readLabelChanges(path.join(config.runDir, "stages", "labels"));
    expect(changes).toHaveLength(Math.round(0.1 * tinyTrainPairCount()));
    expect(changes.every((change) => change.grade !== change.previousGrade && change.origin === "flip")).toBe(true);
  }, 60_000);

  it("grades the train split with the local judge and stores the grades", async () => {
    const config = await loadTinyDemoConfig(dir, "labels: { judge: local, regrade: train, local: { epochs: 5 } }");
    await runPipeline(config, { logger: createCliLogger("warn"), until: "stage1" });
    const trainPairs = tinyTrainPairCount();
    const changes = await readLabelChanges(path.join(config.runDir, "stages", "labels"));
    expect(changes).toHaveLength(trainPairs);
    expect(changes.every((change) => change.origin === "local" && change.confidence !== undefined)).toBe(true);

    const store = await openStore({ directory: path.join(config.runDir, "store") });
    try {
      let judged = 0;
      for await (const page of store.latestJudgments({ dataset: "demo", sources: ["judge"] })) {
        judged += page.length;
        expect(page.every((row) => row.judge === "local" && row.guidelineVersion !== "" && row.confidence !== undefined)).toBe(true);
      }
      expect(judged).toBe(trainPairs);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("grades through an LLM server once", async () => {
    const server = await startFakeChatServer(GRADE_MODERATE);
    try {
      const storeDir = path.join(dir, "store");
      const yaml = `store: { directory: ${storeDir} }\nlabels: { judge: llm, regrade: train, llm: { baseUrl: "${server.baseUrl}", model: fake-1, concurrency: 2, pricing: { inputPerMillion: 1, outputPerMillion: 2 } } }`;
      // Few queries, because every pair costs a cache lookup and insert in the embedded store.
      const config = await loadTinyDemoConfig(dir, yaml, ["data.source.queriesPerLocale=5"]);
      await runPipeline(config, { logger: createCliLogger("warn"), until: "labels" });
      const trainPairs = tinyTrainPairCount(5);
      expect(server.requests()).toBe(trainPairs);
      const changes = await readLabelChanges(path.join(config.runDir, "stages", "labels"));
      expect(changes.every((change) => change.grade === GRADE_MODERATE)).toBe(true);
      const usage = ((await readSummary(config.runDir)).judge as { usage: { costUsd: number } }).usage;
      // Each request costs 100 × $1 + 5 × $2 per million tokens = $0.00011.
      expect(usage.costUsd).toBeCloseTo(trainPairs * 0.00011, 9);

      // A second run on the same store finds every response in the store's judge cache.
      const again = await loadTinyDemoConfig(dir, yaml, ["data.source.queriesPerLocale=5", "runDir=run-again"]);
      await runPipeline(again, { logger: createCliLogger("warn"), until: "labels" });
      expect(server.requests()).toBe(trainPairs);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("applies stored changes on restore", async () => {
    const catalog = generateDemoCatalog({ seed: 7, products: 300, queriesPerLocale: 40 });
    const prepared = prepareData(catalog, splitQueries(catalog, { seed: 13, devFraction: 0.1, testFraction: 0.2 }));
    const target = catalog.judgments[0]!;
    const change: LabelChange = { queryId: target.queryId, productId: target.productId, grade: ((target.grade + 1) % 3) as 0 | 1 | 2, previousGrade: target.grade, origin: "local" };
    const restored = applyLabelChanges(prepared, [change]);
    expect(restored.dataset.judgments[0]?.grade).toBe(change.grade);
    expect(restored.dataset.judgments[1]).toEqual(catalog.judgments[1]);
    expect(restored.dataset.judgments).toHaveLength(catalog.judgments.length);
  });
});
