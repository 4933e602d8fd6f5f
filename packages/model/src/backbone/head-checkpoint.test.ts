import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@mine-refine/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSafetensors } from "../safetensors.js";
import { BackboneHead } from "./backbone-head.js";
import { BackboneTower } from "./backbone-tower.js";
import { loadBackboneHead, saveBackboneHead } from "./head-checkpoint.js";
import { loadBackboneTower } from "./open-backbone.js";
import { PretrainedBackbone } from "./pretrained-backbone.js";
import { generateTinyBertModel } from "./tiny-bert.js";

let root: string;
let modelDir: string;
let backbone: PretrainedBackbone;
const text = { queryPrefix: "query: ", productPrefix: "passage: ", productFields: ["title", "brand"] };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "mr-head-checkpoint-"));
  modelDir = (await generateTinyBertModel(join(root, "tiny-model"), { hiddenSize: 8, seed: 4 })).dir;
  backbone = await PretrainedBackbone.load(modelDir, { maxLength: 12, threads: 1 });
});

afterAll(async () => {
  await backbone?.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Creates a head with random biases too, so that a bias lost on the way would show. */
function randomHead(): BackboneHead {
  const head = new BackboneHead({ inputDim: 8, hiddenDims: [6], outputDim: 4, activation: "gelu" }, { seed: 7 });
  const rng = new Rng(8);
  for (const linear of head.linears) for (let i = 0; i < linear.bias.length; i++) linear.bias[i] = rng.normal();
  return head;
}

function reference() {
  return { path: backbone.dir, modelHash: backbone.modelHash, maxLength: backbone.maxLength };
}

describe("saveBackboneHead", () => {
  it("round trip keeps every parameter", async () => {
    const head = randomHead();
    const dir = join(root, "round-trip");
    await saveBackboneHead(dir, { head, backbone: reference(), text }, { steps: 12 });
    const loaded = await loadBackboneHead(dir);
    expect(loaded.head.config).toEqual(head.config);
    for (const [i, parameter] of head.parameters().entries()) expect(loaded.head.parameters()[i]!.data).toEqual(parameter.data);
    expect(loaded.backbone).toEqual(reference());
    expect(loaded.text).toEqual(text);
    expect(loaded.extra).toEqual({ steps: 12 });
  });

  it("replaces an existing checkpoint", async () => {
    const dir = join(root, "replace");
    await saveBackboneHead(dir, { head: new BackboneHead({ inputDim: 8, hiddenDims: [], outputDim: 4, activation: "relu" }), backbone: reference(), text });
    await saveBackboneHead(dir, { head: randomHead(), backbone: reference(), text });
    expect((await loadBackboneHead(dir)).head.config.hiddenDims).toEqual([6]);
    expect((await readdir(root)).filter((name) => name.startsWith(".replace"))).toEqual([]);
  });

  it("missing tensor is named", async () => {
    const dir = join(root, "missing-tensor");
    const head = randomHead();
    await saveBackboneHead(dir, { head, backbone: reference(), text });
    const remaining = head.parameters().filter((parameter) => parameter.name !== "linears.1.bias");
    await writeSafetensors(join(dir, "model.safetensors"), remaining.map(({ name, shape, data }) => ({ name, shape, data })));
    await expect(loadBackboneHead(dir)).rejects.toThrow(/tensor "linears.1.bias" is missing/);
  });

  it("invalid head config is named", async () => {
    const dir = join(root, "invalid-config");
    await saveBackboneHead(dir, { head: randomHead(), backbone: reference(), text });
    const config = { format: "mine-refine/backbone-head", version: 1, head: { inputDim: 8, hiddenDims: [6], outputDim: -1, activation: "gelu" }, backbone: reference(), text };
    await writeFile(join(dir, "config.json"), JSON.stringify(config));
    await expect(loadBackboneHead(dir)).rejects.toThrow(/outputDim must be a positive integer, received -1/);
  });
});

describe("loadBackboneTower", () => {
  it("encodes like the saved tower", async () => {
    const head = randomHead();
    const dir = join(root, "tower");
    await saveBackboneHead(dir, { head, backbone: reference(), text });
    const loaded = await loadBackboneTower(dir, { threads: 1 });
    try {
      const product = { id: "p", title: "Cordless drill", fields: { brand: "Acme" } };
      const original = new BackboneTower(backbone, head, text);
      expect(await loaded.tower.encodeTexts(["taladro", "saw"])).toEqual(await original.encodeTexts(["taladro", "saw"]));
      expect(await loaded.tower.encodeProducts([product])).toEqual(await original.encodeProducts([product]));
    } finally {
      await loaded.backbone.dispose();
    }
  });

  it("uses the cache when given", async () => {
    const dir = join(root, "tower-cache");
    await saveBackboneHead(dir, { head: randomHead(), backbone: reference(), text });
    const cacheDir = join(root, "tower-cache-vectors");
    const first = await loadBackboneTower(dir, { threads: 1, cacheDir });
    await first.tower.encodeTexts(["saw", "drill"]);
    await first.backbone.dispose();
    const second = await loadBackboneTower(dir, { threads: 1, cacheDir });
    await second.tower.encodeTexts(["saw", "drill"]);
    await second.backbone.dispose();
    expect(second.cache?.stats).toEqual({ hits: 2, misses: 0, entries: 2, skippedSegments: 0 });
  });

  it("rejects a changed backbone", async () => {
    const changedDir = join(root, "changed-model");
    await generateTinyBertModel(changedDir, { hiddenSize: 8, seed: 4 });
    const changed = await PretrainedBackbone.load(changedDir, { maxLength: 12, threads: 1 });
    const headDir = join(root, "changed-head");
    await saveBackboneHead(headDir, { head: randomHead(), backbone: { path: changed.dir, modelHash: changed.modelHash, maxLength: 12 }, text });
    await changed.dispose();
    await generateTinyBertModel(changedDir, { hiddenSize: 8, seed: 5 });
    await expect(loadBackboneTower(headDir, { threads: 1 })).rejects.toThrow(/but the head in .* was trained on hash/);
  });
});
