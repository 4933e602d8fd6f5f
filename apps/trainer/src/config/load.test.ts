import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, InputError } from "@mine-refine/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadTrainConfig } from "./load.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "mr-config-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(text: string, name = "run.yaml"): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

const MINIMAL = `name: t
runDir: out
data:
  source:
    kind: demo
`;

describe("loadTrainConfig", () => {
  it("fills defaults", async () => {
    const config = await loadTrainConfig(await writeConfig(MINIMAL));
    expect(config.stage1.loss.type).toBe("supcon");
    expect(config.data.split.testFraction).toBe(0.1);
    expect(config.model.hiddenDims).toEqual([512]);
  });

  it("resolves paths against the config folder", async () => {
    const config = await loadTrainConfig(await writeConfig(MINIMAL));
    expect(config.runDir).toBe(path.join(dir, "out"));
  });

  it("applies dotted overrides with types", async () => {
    const config = await loadTrainConfig(await writeConfig(MINIMAL), ["stage1.epochs=3", "model.hiddenDims=[32, 16]"]);
    expect(config.stage1.epochs).toBe(3);
    expect(config.model.hiddenDims).toEqual([32, 16]);
  });

  it("expands environment variables", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${NAME} is the config syntax under test
    const file = await writeConfig(MINIMAL.replace("kind: demo", "kind: homedepot\n    path: ${DATA}/hd.zip"));
    const config = await loadTrainConfig(file, [], { DATA: "/data" });
    expect(config.data.source.kind === "homedepot" && config.data.source.path).toBe("/data/hd.zip");
  });

  it("names an unset environment variable", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${NAME} is the config syntax under test
    const file = await writeConfig(MINIMAL.replace("kind: demo", "kind: homedepot\n    path: ${NOPE}/hd.zip"));
    await expect(loadTrainConfig(file, [], {})).rejects.toThrow(/data\.source\.path: environment variable NOPE is not set/);
  });

  it("reports every invalid option at once", async () => {
    const file = await writeConfig(`${MINIMAL}stage1:\n  epochs: -1\n  queriesPerBatch: many\nmodel:\n  pooling: max\n`);
    const error = await loadTrainConfig(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(["model.pooling", "stage1.epochs", "stage1.queriesPerBatch"]);
    expect((error as ConfigError).message).toContain(file);
  });

  it("rejects unknown keys", async () => {
    const file = await writeConfig(`${MINIMAL}stage1:\n  epoch: 3\n`);
    await expect(loadTrainConfig(file)).rejects.toThrow(/stage1.*epoch/);
  });

  it("rejects a malformed override", async () => {
    await expect(loadTrainConfig(await writeConfig(MINIMAL), ["stage1.epochs"])).rejects.toThrow(/key\.path=value/);
  });

  it("names a missing config file", async () => {
    const missing = path.join(dir, "missing.yaml");
    const error = await loadTrainConfig(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(missing);
  });

  it("names a YAML syntax error", async () => {
    await expect(loadTrainConfig(await writeConfig("name: [unclosed\n"))).rejects.toThrow(/not valid YAML/);
  });
});
