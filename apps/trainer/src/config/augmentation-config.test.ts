import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError } from "@mine-refine/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadTrainConfig } from "./load.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-augment-config-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(overrides: string[]): Promise<Awaited<ReturnType<typeof loadTrainConfig>>> {
  const file = path.join(dir, "run.yaml");
  await writeFile(file, "name: t\nrunDir: out\ndata:\n  source:\n    kind: demo\n");
  return loadTrainConfig(file, overrides);
}

describe("augmentation config", () => {
  it("is off by default", async () => {
    const config = await load([]);
    expect(config.augmentation.typos.enabled).toBe(false);
    expect(config.augmentation.synthetic.enabled).toBe(false);
    expect(config.augmentation.typos.mode).toBe("additive");
  });

  it("accepts a fractional additive ratio", async () => {
    const config = await load(["augmentation.typos.enabled=true", "augmentation.typos.ratio=2.5"]);
    expect(config.augmentation.typos.ratio).toBe(2.5);
  });

  it("rejects a replace ratio above 1", async () => {
    await expect(load(["augmentation.typos.mode=replace", "augmentation.typos.ratio=1.5"])).rejects.toThrow(
      /augmentation\.typos\.ratio: with mode "replace" the ratio is the probability/,
    );
  });

  it("rejects a negative ratio", async () => {
    await expect(load(["augmentation.typos.ratio=-1"])).rejects.toThrow(/augmentation\.typos\.ratio:/);
  });

  it("rejects an unknown mode", async () => {
    await expect(load(["augmentation.typos.mode=swap"])).rejects.toThrow(/augmentation\.typos\.mode:/);
  });

  it("rejects an unknown generator option", async () => {
    await expect(load(["augmentation.typos.generator.typoRate=0.3"])).rejects.toThrow(/augmentation\.typos\.generator/);
  });

  it("rejects a negative edit weight", async () => {
    await expect(load(["augmentation.typos.generator.editWeights.deletion=-0.1"])).rejects.toThrow(
      /augmentation\.typos\.generator\.editWeights\.deletion:/,
    );
  });

  it("rejects a share above 1", async () => {
    await expect(load(["augmentation.synthetic.maxShare=1.2"])).rejects.toThrow(/augmentation\.synthetic\.maxShare:/);
  });

  it("rejects an unknown judge", async () => {
    await expect(load(["augmentation.synthetic.judge=oracle"])).rejects.toThrow(/augmentation\.synthetic\.judge:/);
  });

  it("requires the llm server", async () => {
    const loading = load(["augmentation.synthetic.enabled=true", "augmentation.synthetic.judge=llm"]);
    await expect(loading).rejects.toThrow(ConfigError);
    await expect(load(["augmentation.synthetic.enabled=true", "augmentation.synthetic.judge=llm"])).rejects.toThrow(
      /augmentation\.synthetic\.llm: judge "llm" needs augmentation\.synthetic\.llm with baseUrl and model/,
    );
  });

  it("accepts the llm server", async () => {
    const config = await load([
      "augmentation.synthetic.enabled=true",
      "augmentation.synthetic.judge=llm",
      "augmentation.synthetic.llm={baseUrl: 'http://127.0.0.1:8000/v1', model: judge}",
    ]);
    expect(config.augmentation.synthetic.llm?.concurrency).toBe(4);
  });
});
