import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RunDirectory } from "./run-directory.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-run-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("RunDirectory", () => {
  it("publishes a stage only when it completes", async () => {
    const run = await RunDirectory.open(dir, { a: 1 });
    await expect(
      run.runStage("stage1", async () => {
        throw new Error("killed");
      }),
    ).rejects.toThrow("killed");
    expect(run.isComplete("stage1")).toBe(false);
    await run.runStage("stage1", async (stageDir) => {
      await writeFile(path.join(stageDir, "x.txt"), "done");
    });
    expect(await readFile(path.join(run.stageDir("stage1"), "x.txt"), "utf8")).toBe("done");
  });

  it("removes partial stages on reopen", async () => {
    const run = await RunDirectory.open(dir, { a: 1 });
    await run.runStage("data", async () => {});
    await mkdir(`${run.stageDir("stage1")}.partial`);
    await RunDirectory.open(dir, { a: 1 });
    expect(existsSync(`${run.stageDir("stage1")}.partial`)).toBe(false);
    expect(run.isComplete("data")).toBe(true);
  });

  it("rejects a changed config", async () => {
    await RunDirectory.open(dir, { a: 1 });
    await expect(RunDirectory.open(dir, { a: 2 })).rejects.toThrow(/different configuration.*--restart/s);
  });

  it("restart clears the run", async () => {
    const run = await RunDirectory.open(dir, { a: 1 });
    await run.runStage("data", async () => {});
    const reopened = await RunDirectory.open(dir, { a: 2 }, { restart: true });
    expect(reopened.isComplete("data")).toBe(false);
  });
});
