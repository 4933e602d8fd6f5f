import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { type EncoderConfig, TwoTowerEncoder } from "./encoder.js";
import { readSafetensors, writeSafetensors } from "./safetensors.js";

const config: EncoderConfig = {
  featurizer: { buckets: 64, seed: 3, productFields: ["title", "brand"] },
  embeddingDim: 4,
  hiddenDims: [5],
  outputDim: 3,
  pooling: "mean",
  activation: "relu",
};

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "model-checkpoint-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("safetensors", () => {
  it("byte layout by hand", async () => {
    const path = join(root, "one.safetensors");
    await writeSafetensors(path, [{ name: "x", shape: [2], data: Float32Array.of(1, -2) }]);
    const bytes = await readFile(path);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect((8 + headerLength) % 8).toBe(0);
    expect(JSON.parse(bytes.subarray(8, 8 + headerLength).toString())).toEqual({ x: { dtype: "F32", shape: [2], data_offsets: [0, 8] } });
    expect(bytes.readFloatLE(8 + headerLength)).toBe(1);
    expect(bytes.readFloatLE(12 + headerLength)).toBe(-2);
    expect(bytes.length).toBe(8 + headerLength + 8);
  });

  it("round trip with metadata", async () => {
    const path = join(root, "two.safetensors");
    await writeSafetensors(path, [{ name: "a", shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }, { name: "b", shape: [1], data: Float32Array.of(7) }], { note: "x" });
    const file = await readSafetensors(path);
    expect([...file.tensors.get("a")!.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(file.tensors.get("a")!.shape).toEqual([2, 3]);
    expect([...file.tensors.get("b")!.data]).toEqual([7]);
    expect(file.metadata).toEqual({ note: "x" });
  });

  it("rejects truncated data", async () => {
    const path = join(root, "bad.safetensors");
    await writeSafetensors(path, [{ name: "w", shape: [4], data: new Float32Array(4) }]);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 4));
    await expect(readSafetensors(path)).rejects.toThrow(/bad\.safetensors: tensor "w" with shape \[4\] needs 16 bytes but data_offsets are \[0, 16\] in a data section of 12 bytes/);
  });
});

describe("checkpoint", () => {
  it("round trip gives identical outputs", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 9 });
    const dir = join(root, "ckpt");
    await saveCheckpoint(dir, encoder, { step: 12 });
    const loaded = await loadCheckpoint(dir);
    const texts = ["drill bit", "", "電池"];
    expect(await loaded.encoder.encodeTexts(texts)).toEqual(await encoder.encodeTexts(texts));
    expect(loaded.extra).toEqual({ step: 12 });
    expect(loaded.encoder.config).toEqual(encoder.config);
  });

  it("round trip keeps every parameter", async () => {
    const encoder = new TwoTowerEncoder(config, { seed: 9 });
    const dir = join(root, "ckpt");
    await saveCheckpoint(dir, encoder);
    const loaded = (await loadCheckpoint(dir)).encoder.parameters();
    for (const [i, parameter] of encoder.parameters().entries()) expect(loaded[i]!.data, parameter.name).toEqual(parameter.data);
  });

  it("replaces existing checkpoint and leaves no temporary files", async () => {
    const dir = join(root, "ckpt");
    await saveCheckpoint(dir, new TwoTowerEncoder(config, { seed: 1 }));
    const second = new TwoTowerEncoder(config, { seed: 2 });
    await saveCheckpoint(dir, second);
    expect((await loadCheckpoint(dir)).encoder.embedding.table).toEqual(second.embedding.table);
    expect(await readdir(root)).toEqual(["ckpt"]);
  });

  it("failed save keeps previous checkpoint", async () => {
    // A BigInt in extra makes JSON.stringify throw after the weights are written, as a crash would.
    const dir = join(root, "ckpt");
    const first = new TwoTowerEncoder(config, { seed: 1 });
    await saveCheckpoint(dir, first);
    await expect(saveCheckpoint(dir, new TwoTowerEncoder(config, { seed: 2 }), { bad: 1n })).rejects.toThrow(/BigInt/);
    expect((await loadCheckpoint(dir)).encoder.embedding.table).toEqual(first.embedding.table);
    expect(await readdir(root)).toEqual(["ckpt"]);
  });

  it("shape mismatch names file and tensor", async () => {
    const dir = join(root, "ckpt");
    await saveCheckpoint(dir, new TwoTowerEncoder(config));
    const configPath = join(dir, "config.json");
    const saved = JSON.parse(await readFile(configPath, "utf8"));
    saved.encoder.hiddenDims = [6];
    await writeFile(configPath, JSON.stringify(saved));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/model\.safetensors: tensor "linears\.0\.weight" has shape \[4, 5\] but config\.json implies \[4, 6\]/);
  });

  it("missing directory names config file", async () => {
    await expect(loadCheckpoint(join(root, "absent"))).rejects.toThrow(/absent\/config\.json: cannot read the checkpoint config/);
  });

  it("invalid config names the problem", async () => {
    const dir = join(root, "ckpt");
    await saveCheckpoint(dir, new TwoTowerEncoder(config));
    const configPath = join(dir, "config.json");
    const saved = JSON.parse(await readFile(configPath, "utf8"));
    saved.encoder.pooling = "max";
    await writeFile(configPath, JSON.stringify(saved));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/config\.json, column "encoder": Invalid encoder config: pooling must be "mean" or "sqrt", received max/);
  });
});
