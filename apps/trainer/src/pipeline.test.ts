import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCliLogger } from "./log.js";
import { runPipeline } from "./pipeline.js";
import { loadTinyDemoConfig } from "./test/tiny-demo-config.js";

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/cli.js");

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-pipeline-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("runPipeline", () => {
  it("runs Stage 2 and evaluates both stages", async () => {
    const config = await loadTinyDemoConfig(dir, "", [
      "stage2.enabled=true",
      "stage2.epochs=1",
      "stage2.queriesPerBatch=8",
      "stage2.productsPerQuery=6",
      "stage2.mining.k=20",
      "stage2.mining.maxRank=20",
      "stage2.index.recallSample=10",
    ]);
    await runPipeline(config, { logger: createCliLogger("error") });
    const stages = await readdir(path.join(config.runDir, "stages"));
    expect(stages.sort()).toEqual(expect.arrayContaining(["data", "evaluate", "grade", "index", "mine", "stage1", "stage2"]));
    const metrics = JSON.parse(await readFile(path.join(config.runDir, "stages", "evaluate", "metrics.json"), "utf8")) as { systems: { name: string }[] };
    expect(metrics.systems.map((system) => system.name)).toEqual(expect.arrayContaining(["stage1", "stage2"]));
    const report = await readFile(path.join(config.runDir, "stages", "grade", "mining-report.md"), "utf8");
    expect(report).toContain("false negatives avoided");
  }, 120_000);

  it("resumes after a kill without redoing finished stages", async () => {
    if (!existsSync(CLI)) throw new Error(`Build the trainer first: ${CLI} is missing (pnpm turbo run build --filter @mine-refine/trainer...)`);
    const config = await loadTinyDemoConfig(dir, "", ["stage1.epochs=20"]);
    const configFile = path.join(dir, "tiny.yaml");
    const args = [CLI, "train", "--config", configFile, "--set", "stage2.enabled=false", "--set", "stage1.epochs=20"];

    // Start a run and kill it while Stage 1 trains (its partial folder exists).
    const child = spawn(process.execPath, args, { stdio: "ignore" });
    const partial = path.join(config.runDir, "stages", "stage1.partial");
    const deadline = Date.now() + 60_000;
    while (!existsSync(partial) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    expect(existsSync(path.join(config.runDir, "stages", "data"))).toBe(true);
    expect(existsSync(path.join(config.runDir, "stages", "stage1"))).toBe(false);
    const splitBefore = await readFile(path.join(config.runDir, "stages", "data", "split.json"), "utf8");

    // The rerun skips the data stage, clears the partial folder and finishes.
    const rerun = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    rerun.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve) => rerun.on("exit", resolve));
    expect(code).toBe(0);
    expect(stderr).toContain("stage data: already complete, skipped");
    expect(existsSync(path.join(config.runDir, "stages", "evaluate", "metrics.json"))).toBe(true);
    expect(await readFile(path.join(config.runDir, "stages", "data", "split.json"), "utf8")).toBe(splitBefore);
  }, 180_000);
});
