import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCliLogger } from "../log.js";
import { runPipeline } from "../pipeline.js";
import { loadTinyDemoConfig } from "../test/tiny-demo-config.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-backbone-stage-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BACKBONE = "model.backbone={path: tiny-model, maxLength: 24, batchSize: 16, cacheDir: vectors, generateTiny: {hiddenSize: 16, seed: 1}}";
// loadTinyDemoConfig turns Stage 2 off, and the export stage is skipped on a backbone.

async function segmentCount(cacheRoot: string): Promise<number> {
  let count = 0;
  for (const folder of await readdir(cacheRoot)) count += (await readdir(path.join(cacheRoot, folder))).filter((name) => name.endsWith(".vectors")).length;
  return count;
}

describe("backbone Stage 1", () => {
  it("trains, resumes, evaluates, reuses cache", async () => {
    const config = await loadTinyDemoConfig(dir, "", [BACKBONE, "evaluation.baselines=[untrained]"]);
    await runPipeline(config, { logger: createCliLogger("error"), until: "stage1" });
    expect(existsSync(path.join(dir, "tiny-model", "onnx", "model.onnx"))).toBe(true);
    const headConfig = JSON.parse(await readFile(path.join(config.runDir, "stages", "stage1", "head", "config.json"), "utf8")) as { head: { inputDim: number }; backbone: { path: string } };
    expect(headConfig.head.inputDim).toBe(16);
    expect(headConfig.backbone.path).toBe(path.join(dir, "tiny-model"));
    const training = JSON.parse(await readFile(path.join(config.runDir, "stages", "stage1", "training.json"), "utf8")) as { losses: number[] };
    expect(training.losses.length).toBeGreaterThan(0);
    expect(training.losses.every(Number.isFinite)).toBe(true);

    // A second pipeline call is a resumed run: evaluation loads the saved head from disk.
    await runPipeline(config, { logger: createCliLogger("error") });
    const metrics = JSON.parse(await readFile(path.join(config.runDir, "stages", "evaluate", "metrics.json"), "utf8")) as { systems: { name: string }[] };
    expect(metrics.systems.map((system) => system.name).sort()).toEqual(["stage1", "untrained"]);

    // Another run on the same data and cache folder embeds nothing new, so it writes no segment.
    const segmentsBefore = await segmentCount(path.join(dir, "vectors"));
    const second = await loadTinyDemoConfig(dir, "", [BACKBONE, "runDir=run-2"]);
    await runPipeline(second, { logger: createCliLogger("error"), until: "stage1" });
    expect(segmentsBefore).toBeGreaterThan(0);
    expect(await segmentCount(path.join(dir, "vectors"))).toBe(segmentsBefore);
  }, 90_000);

  it("rejects Stage 2 on a backbone", async () => {
    const config = await loadTinyDemoConfig(dir, "", [BACKBONE, "stage2.enabled=true"]);
    await expect(runPipeline(config, { logger: createCliLogger("error") })).rejects.toThrow(/model.backbone does not work with Stage 2 yet/);
  }, 60_000);
});
