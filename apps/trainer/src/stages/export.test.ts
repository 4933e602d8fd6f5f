import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { JsMatmul } from "@mine-refine/model";
import { OnnxEncoder } from "@mine-refine/model/ort";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCliLogger } from "../log.js";
import { runPipeline } from "../pipeline.js";
import { loadTinyDemoConfig } from "../test/tiny-demo-config.js";
import { type ExportRecord, loadTrainedModel } from "./export.js";
import type { StageContext } from "./stage.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-export-stage-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("export stage", () => {
  it("exports stage1 and evaluates through it", async () => {
    const config = await loadTinyDemoConfig(dir, "", ["store.enabled=false", "export.embedWith=onnx", "export.paritySample=100"]);
    await runPipeline(config, { logger: createCliLogger("warn") });

    const exportDir = path.join(config.runDir, "stages", "export");
    const records = JSON.parse(await readFile(path.join(exportDir, "export.json"), "utf8")) as ExportRecord[];
    expect(records.map((record) => record.stage)).toEqual(["stage1"]);
    expect(records[0]!.parityProducts).toBe(100);
    expect(records[0]!.maxAbsDifference).toBeLessThanOrEqual(1e-5);

    const onnx = await OnnxEncoder.load(path.join(exportDir, "stage1", "model.onnx"));
    try {
      expect(onnx.config.outputDim).toBe(16);
      expect(onnx.metadata.get("stage")).toBe("stage1");
    } finally {
      await onnx.dispose();
    }

    // The evaluate stage runs after export, so with embedWith=onnx it loads the ONNX model.
    const stagesDir = path.join(config.runDir, "stages");
    const context = { config, run: { stageDir: (stage: string) => path.join(stagesDir, stage), isComplete: (stage: string) => existsSync(path.join(stagesDir, stage)) } } as unknown as StageContext;
    const trained = await loadTrainedModel(context, "stage1", new JsMatmul());
    try {
      expect(trained.model).toBeInstanceOf(OnnxEncoder);
    } finally {
      await trained.dispose();
    }
    const metrics = JSON.parse(await readFile(path.join(config.runDir, "stages", "evaluate", "metrics.json"), "utf8")) as { systems: { name: string }[] };
    expect(metrics.systems.map((system) => system.name)).toContain("stage1");
  }, 60_000);

  it("export.enabled=false skips it", async () => {
    const config = await loadTinyDemoConfig(dir, "", ["store.enabled=false", "export.enabled=false"]);
    await runPipeline(config, { logger: createCliLogger("warn") });
    await expect(readFile(path.join(config.runDir, "stages", "export", "export.json"))).rejects.toThrow(/ENOENT/);
  }, 60_000);
});
