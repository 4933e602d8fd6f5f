import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, Rng } from "@mine-refine/core";
import { generateDemoCatalog } from "@mine-refine/data";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EmbeddingModel } from "../embedding-model.js";
import { type EncoderConfig, TwoTowerEncoder } from "../encoder.js";
import { gemmModelBytes } from "../matmul/ort-matmul.js";
import { exportEncoderToOnnx } from "./export-encoder.js";
import { OnnxEncoder } from "./onnx-encoder.js";

/** Max abs difference between the TypeScript forward and the exported model. */
const PARITY_TOLERANCE = 1e-5;

let root: string;
const loaded: OnnxEncoder[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "model-onnx-export-"));
});

afterEach(async () => {
  for (const encoder of loaded.splice(0)) await encoder.dispose();
  await rm(root, { recursive: true, force: true });
});

async function exportAndLoad(encoder: TwoTowerEncoder, metadata?: Record<string, string>): Promise<OnnxEncoder> {
  const path = join(root, "model.onnx");
  await exportEncoderToOnnx(encoder, path, metadata === undefined ? {} : { metadata });
  const onnx = await OnnxEncoder.load(path, { intraOpNumThreads: 1 });
  loaded.push(onnx);
  return onnx;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Gives every bias a normal(0, 0.1) value, so the parity checks cover the Add nodes too. */
function randomizeBiases(encoder: TwoTowerEncoder, seed: number): void {
  const rng = new Rng(seed);
  for (const linear of encoder.linears) for (let j = 0; j < linear.bias.length; j++) linear.bias[j] = 0.1 * rng.normal();
}

describe("exportEncoderToOnnx", () => {
  it("hand-computed bag, padding and empty bag", async () => {
    // 4 buckets × 2 dims, no hidden layer, identity output layer: the output is the pooled bag, normalised.
    const config: EncoderConfig = { featurizer: { buckets: 4, seed: 0 }, embeddingDim: 2, hiddenDims: [], outputDim: 2, pooling: "mean", activation: "relu" };
    const encoder = new TwoTowerEncoder(config, { skipInitialization: true });
    encoder.embedding.table.set([0, 0, 3, 0, 0, 4, 1, 1]);
    encoder.linears[0]!.weight.set([1, 0, 0, 1]);
    const onnx = await exportAndLoad(encoder);
    // Bag [1, 2] pools to (1.5, 2), norm 2.5. Bag [3] is padded to length 2 and stays (1, 1) / sqrt 2.
    // The empty bag is all padding and maps to zero.
    const output = await onnx.encode({ ids: Int32Array.of(1, 2, 3), offsets: Int32Array.of(0, 2, 3, 3) });
    const expected = [0.6, 0.8, Math.SQRT1_2, Math.SQRT1_2, 0, 0];
    expect(output.length).toBe(expected.length);
    for (const [i, value] of expected.entries()) expect(output[i]).toBeCloseTo(value, 6);
  });

  it("demo catalog parity, gelu and sqrt", async () => {
    const dataset = generateDemoCatalog({ seed: 2, products: 600, queriesPerLocale: 100 });
    const config: EncoderConfig = { featurizer: { buckets: 2 ** 14, seed: 5 }, embeddingDim: 32, hiddenDims: [48], outputDim: 24, pooling: "sqrt", activation: "gelu" };
    const encoder = new TwoTowerEncoder(config, { seed: 7 });
    randomizeBiases(encoder, 8);
    const onnx = await exportAndLoad(encoder);
    const texts = dataset.queries.map((query) => query.text);
    const products = maxAbsDifference(await encoder.encodeProducts(dataset.products), await onnx.encodeProducts(dataset.products, { chunkSize: 64 }));
    const queries = maxAbsDifference(await encoder.encodeTexts(texts), await onnx.encodeTexts(texts, { chunkSize: 64 }));
    console.log(`demo parity (gelu, sqrt): products max |diff| ${products.toExponential(2)}, queries ${queries.toExponential(2)}`);
    expect(products).toBeLessThanOrEqual(PARITY_TOLERANCE);
    expect(queries).toBeLessThanOrEqual(PARITY_TOLERANCE);
  });

  it("demo catalog parity, relu and mean, two hidden layers", async () => {
    const dataset = generateDemoCatalog({ seed: 3, products: 300, queriesPerLocale: 50 });
    const config: EncoderConfig = { featurizer: { buckets: 4096, seed: 1 }, embeddingDim: 16, hiddenDims: [16, 24], outputDim: 16, pooling: "mean", activation: "relu" };
    const encoder = new TwoTowerEncoder(config, { seed: 4 });
    randomizeBiases(encoder, 9);
    const onnx = await exportAndLoad(encoder);
    const difference = maxAbsDifference(await encoder.encodeProducts(dataset.products), await onnx.encodeProducts(dataset.products));
    console.log(`demo parity (relu, mean): products max |diff| ${difference.toExponential(2)}`);
    expect(difference).toBeLessThanOrEqual(PARITY_TOLERANCE);
  });

  it("stores config and extra metadata", async () => {
    const config: EncoderConfig = {
      featurizer: { buckets: 128, seed: 9, wordNgrams: [1], charNgrams: { latin: [2, 4] }, productFields: ["title", "color"] },
      embeddingDim: 4,
      hiddenDims: [4],
      outputDim: 4,
      pooling: "mean",
      activation: "relu",
    };
    const encoder = new TwoTowerEncoder(config, { seed: 1 });
    const onnx = await exportAndLoad(encoder, { step: "12" });
    expect(onnx.config).toEqual(encoder.config);
    expect(onnx.featurizer.config).toEqual(encoder.featurizer.config);
    expect(onnx.metadata.get("step")).toBe("12");
    expect(onnx.outputDim).toBe(4);
  });

  it("rejects a reserved metadata key", async () => {
    const encoder = new TwoTowerEncoder({ featurizer: { buckets: 8, seed: 0 }, embeddingDim: 2, hiddenDims: [], outputDim: 2, pooling: "mean", activation: "relu" });
    await expect(exportEncoderToOnnx(encoder, join(root, "model.onnx"), { metadata: { "mine_refine.format": "x" } })).rejects.toThrow(/metadata key "mine_refine.format" is reserved/);
  });
});

describe("OnnxEncoder.load", () => {
  it("rejects a model without encoder metadata", async () => {
    const path = join(root, "gemm.onnx");
    await writeFile(path, gemmModelBytes(false, false));
    const error = await OnnxEncoder.load(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/gemm\.onnx.*expected metadata format "mine-refine\/two-tower-encoder-onnx" version 1, found null/);
  });

  it("rejects a missing file", async () => {
    const error = await OnnxEncoder.load(join(root, "absent.onnx")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe("onnx_model_not_found");
  });

  it("fits the EmbeddingModel interface", async () => {
    const encoder = new TwoTowerEncoder({ featurizer: { buckets: 64, seed: 0 }, embeddingDim: 4, hiddenDims: [], outputDim: 3, pooling: "sqrt", activation: "gelu" });
    const models: EmbeddingModel[] = [encoder, await exportAndLoad(encoder)];
    const [typescript, onnx] = await Promise.all(models.map((model) => model.encodeTexts(["drill", "cordless drill 18v"])));
    expect(maxAbsDifference(typescript!, onnx!)).toBeLessThanOrEqual(PARITY_TOLERANCE);
  });
});

const dataDir = process.env.MINE_REFINE_DATA_DIR;

describe.skipIf(dataDir === undefined)("Home Depot parity (needs MINE_REFINE_DATA_DIR)", () => {
  it("default config on 3000 products", async () => {
    const { loadHomeDepot } = await import("@mine-refine/data");
    const { DEFAULT_ENCODER_CONFIG } = await import("../encoder.js");
    const { OrtMatmul } = await import("../matmul/ort-matmul.js");
    const dataset = await loadHomeDepot({ path: join(dataDir!, "homedepot-kaggle", "train.csv.zip"), onConflict: "keep-first" });
    const products = dataset.products.slice(0, 3000);
    const texts = dataset.queries.slice(0, 3000).map((query) => query.text);
    const matmul = new OrtMatmul({ intraOpNumThreads: 2 });
    try {
      const encoder = new TwoTowerEncoder(DEFAULT_ENCODER_CONFIG, { matmul, seed: 11 });
      randomizeBiases(encoder, 12);
      const onnx = await exportAndLoad(encoder);
      const productDifference = maxAbsDifference(await encoder.encodeProducts(products), await onnx.encodeProducts(products));
      const queryDifference = maxAbsDifference(await encoder.encodeTexts(texts), await onnx.encodeTexts(texts));
      console.log(`Home Depot parity: ${products.length} products max |diff| ${productDifference.toExponential(2)}, ${texts.length} queries ${queryDifference.toExponential(2)}`);
      expect(productDifference).toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(queryDifference).toBeLessThanOrEqual(PARITY_TOLERANCE);
    } finally {
      await matmul.dispose();
    }
  }, 120_000);
});
