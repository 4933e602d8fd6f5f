import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "@mine-refine/core";
import ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxRelativeError } from "../test/gradient-check.js";
import { tinyBertReference } from "../test/tiny-bert-reference.js";
import { hashModelDirectory, PretrainedBackbone } from "./pretrained-backbone.js";
import { generateTinyBertModel, type TinyBertModel } from "./tiny-bert.js";
import { splitBertWords, vocabularyFromTexts } from "./tiny-bert-vocab.js";

let root: string;
let model: TinyBertModel;
let backbone: PretrainedBackbone;
const HIDDEN = 8;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "mr-backbone-"));
  model = await generateTinyBertModel(join(root, "tiny-model"), { hiddenSize: HIDDEN, seed: 3, maxPositions: 16 });
  backbone = await PretrainedBackbone.load(model.dir, { maxLength: 16, batchSize: 4, threads: 1 });
});

afterAll(async () => {
  await backbone?.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Token ids looked up by hand in the generated vocabulary. */
function ids(tokens: string[]): number[] {
  return tokens.map((token) => {
    const id = model.vocabulary.indexOf(token);
    if (id < 0) throw new Error(`test fixture: "${token}" is not in the vocabulary`);
    return id;
  });
}

/** Runs the generated ONNX file directly and mean-pools by hand: rows of different lengths, padded with [PAD]. */
async function handEmbeddings(rows: string[][]): Promise<Float64Array> {
  const sequence = Math.max(...rows.map((row) => row.length));
  const inputIds = new BigInt64Array(rows.length * sequence); // [B, S]
  const mask = new BigInt64Array(rows.length * sequence); // [B, S]
  rows.forEach((row, b) => {
    ids(row).forEach((id, s) => {
      inputIds[b * sequence + s] = BigInt(id);
      mask[b * sequence + s] = 1n;
    });
  });
  const session = await ort.InferenceSession.create(join(model.dir, "onnx", "model.onnx"), { intraOpNumThreads: 1 });
  const shape = [rows.length, sequence];
  const result = await session.run({
    input_ids: new ort.Tensor("int64", inputIds, shape),
    attention_mask: new ort.Tensor("int64", mask, shape),
    token_type_ids: new ort.Tensor("int64", new BigInt64Array(rows.length * sequence), shape),
  });
  await session.release();
  const hidden = result.last_hidden_state!.data as Float32Array; // [B, S, H]
  const pooled = new Float64Array(rows.length * HIDDEN); // [B, H]
  rows.forEach((row, b) => {
    for (let s = 0; s < row.length; s++) for (let j = 0; j < HIDDEN; j++) pooled[b * HIDDEN + j]! += hidden[(b * sequence + s) * HIDDEN + j]! / row.length;
  });
  return pooled;
}

describe("generateTinyBertModel", () => {
  it("ONNX graph matches float64 reference", async () => {
    // Two rows of lengths 4 and 2, so the second is padded and the masked context matters.
    const rows = [ids(["[CLS]", "drill", "##s", "[SEP]"]), ids(["[CLS]", "[SEP]"])];
    const inputIds = [...rows[0]!, ...rows[1]!, 0, 0];
    const mask = [1, 1, 1, 1, 1, 1, 0, 0];
    const types = [0, 0, 0, 0, 0, 1, 0, 0];
    const session = await ort.InferenceSession.create(join(model.dir, "onnx", "model.onnx"), { intraOpNumThreads: 1 });
    const tensor = (values: number[]) => new ort.Tensor("int64", BigInt64Array.from(values.map(BigInt)), [2, 4]);
    const result = await session.run({ input_ids: tensor(inputIds), attention_mask: tensor(mask), token_type_ids: tensor(types) });
    await session.release();
    const expected = tinyBertReference(model.weights, inputIds, mask, types, 2, 4);
    // Tolerance 1e-5: float32 ONNX Runtime against the float64 reference through one LayerNorm and one tanh.
    const error = maxRelativeError(result.last_hidden_state!.data as Float32Array, expected);
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });

  it("writes the files transformers.js loads", () => {
    expect(backbone.dim).toBe(HIDDEN);
  });
});

describe("PretrainedBackbone", () => {
  it("tokenizes English with subwords", () => {
    expect(backbone.tokenize("Cordless drills")).toEqual(["[CLS]", "cordless", "drill", "##s", "[SEP]"]);
  });

  it("tokenizes Spanish accents", () => {
    expect(backbone.tokenize("Taladro inalámbrico")).toEqual(["[CLS]", "taladro", "inalámbrico", "[SEP]"]);
  });

  it("tokenizes Japanese ideographs and kana", () => {
    expect(backbone.tokenize("電動ドリル")).toEqual(["[CLS]", "電", "動", "ド", "##リ", "##ル", "[SEP]"]);
  });

  it("mean pooling matches hand computation", async () => {
    const texts = ["Cordless drills", "電動ドリル", "saw"];
    const tokens = texts.map((text) => backbone.tokenize(text));
    const expected = await handEmbeddings(tokens);
    const actual = await backbone.embed(texts);
    // Tolerance 1e-5: the same float32 graph, pooled in float32 here and float64 in the test.
    const error = maxRelativeError(actual, expected);
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });

  it("padding does not change a text's vector", async () => {
    const alone = await backbone.embed(["saw"]);
    const padded = (await backbone.embed(["saw", "cordless drill with battery and charger"])).subarray(0, HIDDEN);
    const error = maxRelativeError(padded, alone);
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-6);
  });

  it("batches agree with one call", async () => {
    const texts = ["drill", "saw", "hammer", "paint", "brush", "roller", "lamp"]; // batchSize 4: two batches
    const together = await backbone.embed(texts);
    const single = new Float32Array(texts.length * HIDDEN);
    for (const [i, text] of texts.entries()) single.set(await backbone.embed([text]), i * HIDDEN);
    const error = maxRelativeError(together, single);
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-6);
  });

  it("truncates to maxLength tokens", async () => {
    const long = Array.from({ length: 30 }, () => "drill").join(" ");
    const expected = await handEmbeddings([["[CLS]", ...Array.from({ length: 14 }, () => "drill"), "[SEP]"]]);
    const error = maxRelativeError(await backbone.embed([long]), expected);
    expect(error, `max relative difference ${error}`).toBeLessThan(1e-5);
  });

  it("empty text list gives empty output", async () => {
    expect((await backbone.embed([])).length).toBe(0);
  });

  it("reports progress per batch", async () => {
    const done: number[] = [];
    await backbone.embed(["a", "b", "c", "d", "e"], (event) => done.push(event.done));
    expect(done).toEqual([4, 5]);
  });
});

describe("vocabularyFromTexts", () => {
  it("spells every word without [UNK]", async () => {
    const texts = ["Taladro Percutor 20V, acero", "電動ドリル セット", "Cordless drill-driver"];
    const dir = join(root, "from-texts");
    await generateTinyBertModel(dir, { hiddenSize: 4, vocab: vocabularyFromTexts(texts, { maxWords: 2 }) });
    const loaded = await PretrainedBackbone.load(dir, { threads: 1 });
    try {
      for (const text of texts) expect(loaded.tokenize(text), text).not.toContain("[UNK]");
    } finally {
      await loaded.dispose();
    }
  });

  it("keeps the most frequent words whole", () => {
    const words = vocabularyFromTexts(["drill saw drill", "saw drill hammer"], { maxWords: 2 });
    expect(words.slice(0, 2)).toEqual(["drill", "saw"]);
    expect(words).not.toContain("hammer");
    expect(words).toContain("##m");
  });

  it("splits like the BERT pre-tokenizer", () => {
    expect(splitBertWords("Drill-Driver, 電動ドリル")).toEqual(["drill", "-", "driver", ",", "電", "動", "ドリル"]);
  });
});

describe("PretrainedBackbone.load errors", () => {
  for (const file of ["config.json", "tokenizer.json", "onnx/model.onnx"]) {
    it(`missing ${file} is named`, async () => {
      const dir = join(root, `without-${file.replace("/", "-")}`);
      await generateTinyBertModel(dir, { hiddenSize: 4 });
      await rm(join(dir, file));
      const error = await PretrainedBackbone.load(dir).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(`the backbone model directory has no ${file}`);
    });
  }

  it("missing model_type is named", async () => {
    const dir = join(root, "without-model-type");
    await generateTinyBertModel(dir, { hiddenSize: 4 });
    await writeFile(join(dir, "config.json"), JSON.stringify({ hidden_size: 4 }));
    await expect(PretrainedBackbone.load(dir)).rejects.toThrow(/model_type is undefined, expected a string/);
  });

  it("maxLength above max positions", async () => {
    await expect(PretrainedBackbone.load(model.dir, { maxLength: 17 })).rejects.toThrow(/maxLength 17 exceeds the model's max_position_embeddings 16/);
  });
});

describe("hashModelDirectory", () => {
  it("same files same hash", async () => {
    const copy = await generateTinyBertModel(join(root, "same-seed"), { hiddenSize: HIDDEN, seed: 3, maxPositions: 16 });
    expect(await hashModelDirectory(copy.dir)).toBe(backbone.modelHash);
  });

  it("different weights different hash", async () => {
    const other = await generateTinyBertModel(join(root, "other-seed"), { hiddenSize: HIDDEN, seed: 4, maxPositions: 16 });
    expect(await hashModelDirectory(other.dir)).not.toBe(backbone.modelHash);
  });
});
