import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GRADE_IRRELEVANT, GRADE_RELEVANT, type Grade } from "@mine-refine/core";
import { createBatchSampler, createSupConLoss } from "@mine-refine/losses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackboneHead } from "./backbone-head.js";
import { BackboneTower, embedById } from "./backbone-tower.js";
import { PretrainedBackbone } from "./pretrained-backbone.js";
import { generateTinyBertModel } from "./tiny-bert.js";
import { trainBackboneHead } from "./train-head.js";

// A synthetic task: a query names a product kind, and the products of that kind are relevant to it.
// Colours and filler words are shared across kinds, so the random backbone alone mixes the kinds up.
const KINDS = ["drill", "saw", "hammer", "paint", "lamp", "hose"];
const COLOURS = ["white", "black", "red", "blue"];
const FILLERS = ["steel kit", "wood set", "outdoor case", "indoor cable"];
const products = KINDS.flatMap((kind, k) => COLOURS.map((colour, c) => ({ id: `p-${k}-${c}`, kind, text: `${colour} ${FILLERS[(k + c) % 4]} ${kind}` })));
const queries = KINDS.flatMap((kind, k) => FILLERS.map((filler, f) => ({ id: `q-${k}-${f}`, kind, text: `${kind} ${filler}` })));
const judgments = queries.flatMap((query) =>
  products
    .filter((product, i) => product.kind === query.kind || i % 3 === 0)
    .map((product) => ({ queryId: query.id, productId: product.id, grade: (product.kind === query.kind ? GRADE_RELEVANT : GRADE_IRRELEVANT) as Grade })),
);

let root: string;
let backbone: PretrainedBackbone;
let queryVectors: Map<string, Float32Array>;
let productVectors: Map<string, Float32Array>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "mr-train-head-"));
  const model = await generateTinyBertModel(join(root, "tiny-model"), { hiddenSize: 16, seed: 2 });
  backbone = await PretrainedBackbone.load(model.dir, { maxLength: 16, threads: 1 });
  queryVectors = await embedById(backbone, queries);
  productVectors = await embedById(backbone, products);
});

afterAll(async () => {
  await backbone?.dispose();
  await rm(root, { recursive: true, force: true });
});

function trainOptions(head: BackboneHead, epochs: number) {
  return {
    head,
    batches: createBatchSampler({ judgments, queriesPerBatch: 8, productsPerQuery: 6, seed: 1, epochs }),
    vectorForQuery: (id: string) => queryVectors.get(id)!,
    vectorForProduct: (id: string) => productVectors.get(id)!,
    loss: createSupConLoss({ temperature: 0.1 }),
    totalSteps: 3 * epochs,
    optimizer: { learningRate: 0.01, maxGradNorm: 5 },
  };
}

/** Share of queries whose nearest product is of their kind. */
async function topOneAccuracy(head: BackboneHead): Promise<number> {
  const tower = new BackboneTower(backbone, head);
  const q = await tower.encodeTexts(queries.map((query) => query.text)); // [queries, D]
  const p = await tower.encodeTexts(products.map((product) => product.text)); // [products, D]
  const D = head.outputDim;
  let correct = 0;
  queries.forEach((query, i) => {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    products.forEach((_product, j) => {
      let score = 0;
      for (let d = 0; d < D; d++) score += q[i * D + d]! * p[j * D + d]!;
      if (score > bestScore) [best, bestScore] = [j, score];
    });
    if (products[best]!.kind === query.kind) correct++;
  });
  return correct / queries.length;
}

describe("trainBackboneHead", () => {
  it("loss decreases on synthetic task", async () => {
    const head = new BackboneHead({ inputDim: 16, hiddenDims: [32], outputDim: 16, activation: "relu" }, { seed: 1 });
    const summary = await trainBackboneHead(trainOptions(head, 40));
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const first = mean(summary.losses.slice(0, 10));
    const last = mean(summary.losses.slice(-10));
    expect(summary.stopReason).toBe("completed");
    expect(last, `first 10 steps ${first}, last 10 steps ${last}`).toBeLessThan(0.7 * first);
  });

  it("trained head retrieves the right kind", async () => {
    const head = new BackboneHead({ inputDim: 16, hiddenDims: [32], outputDim: 16, activation: "relu" }, { seed: 1 });
    const before = await topOneAccuracy(head);
    await trainBackboneHead(trainOptions(head, 40));
    const after = await topOneAccuracy(head);
    expect(after, `top-1 accuracy before ${before}, after ${after}`).toBeGreaterThan(before);
    expect(after).toBeGreaterThanOrEqual(0.9);
  });

  it("same seed same weights", async () => {
    const make = () => new BackboneHead({ inputDim: 16, hiddenDims: [], outputDim: 8, activation: "relu" }, { seed: 3 });
    const [a, b] = [make(), make()];
    await trainBackboneHead(trainOptions(a, 2));
    await trainBackboneHead(trainOptions(b, 2));
    expect(a.linears[0]!.weight).toEqual(b.linears[0]!.weight);
  });

  it("stops when batches run out", async () => {
    const head = new BackboneHead({ inputDim: 16, hiddenDims: [], outputDim: 8, activation: "relu" });
    const summary = await trainBackboneHead({ ...trainOptions(head, 1), totalSteps: 100 });
    expect(summary.stopReason).toBe("batches_exhausted");
    expect(summary.steps).toBe(3);
  });

  it("stops after abort", async () => {
    const head = new BackboneHead({ inputDim: 16, hiddenDims: [], outputDim: 8, activation: "relu" });
    const controller = new AbortController();
    const summary = await trainBackboneHead({ ...trainOptions(head, 5), signal: controller.signal, onStep: () => controller.abort() });
    expect(summary.stopReason).toBe("aborted");
    expect(summary.steps).toBe(1);
  });

  it("rejects vectors of the wrong width", async () => {
    const head = new BackboneHead({ inputDim: 8, hiddenDims: [], outputDim: 8, activation: "relu" });
    await expect(trainBackboneHead(trainOptions(head, 1))).rejects.toThrow(/has 16 values, expected the head's inputDim 8/);
  });
});

describe("BackboneTower", () => {
  it("applies the query prefix", async () => {
    const head = new BackboneHead({ inputDim: 16, hiddenDims: [], outputDim: 8, activation: "relu" }, { seed: 2 });
    const tower = new BackboneTower(backbone, head, { queryPrefix: "query: " });
    const expected = await head.encode(await backbone.embed(["query: red drill"]), 1);
    expect(await tower.encodeTexts(["red drill"])).toEqual(expected);
  });

  it("joins product fields after the prefix", async () => {
    const head = new BackboneHead({ inputDim: 16, hiddenDims: [], outputDim: 8, activation: "relu" }, { seed: 2 });
    const tower = new BackboneTower(backbone, head, { productPrefix: "passage: ", productFields: ["title", "brand"] });
    const product = { id: "p", title: "Cordless drill", fields: { brand: "Acme" } };
    const expected = await head.encode(await backbone.embed(["passage: Cordless drill Acme"]), 1);
    expect(await tower.encodeProducts([product])).toEqual(expected);
  });

  it("outputs have unit length", async () => {
    const head = new BackboneHead({ inputDim: 16, hiddenDims: [4], outputDim: 8, activation: "gelu" }, { seed: 2 });
    const output = await new BackboneTower(backbone, head).encodeTexts(["saw", "電動ドリル"], { chunkSize: 1 });
    for (let b = 0; b < 2; b++) expect(Math.hypot(...output.subarray(b * 8, b * 8 + 8))).toBeCloseTo(1, 5);
  });

  it("rejects a head of another width", () => {
    const head = new BackboneHead({ inputDim: 12, hiddenDims: [], outputDim: 8, activation: "relu" });
    expect(() => new BackboneTower(backbone, head)).toThrow(/returns vectors of width 16, but the head expects inputDim 12/);
  });
});
