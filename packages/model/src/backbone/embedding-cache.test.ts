import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "@mine-refine/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CachedEmbedder, EmbeddingCache } from "./embedding-cache.js";
import { PretrainedBackbone, type TextEmbedder } from "./pretrained-backbone.js";
import { generateTinyBertModel } from "./tiny-bert.js";

let root: string;
let cacheRoot: string;
let backbone: PretrainedBackbone;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "mr-embedding-cache-"));
  const model = await generateTinyBertModel(join(root, "tiny-model"), { hiddenSize: 6, seed: 1 });
  backbone = await PretrainedBackbone.load(model.dir, { maxLength: 16, threads: 1 });
});

afterAll(async () => {
  await backbone?.dispose();
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  cacheRoot = await mkdtemp(join(root, "cache-"));
});

/** Wraps the real backbone and records every text it embeds. */
function countingBackbone(): TextEmbedder & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    dim: backbone.dim,
    key: backbone.key,
    embed: (texts) => {
      calls.push([...texts]);
      return backbone.embed(texts);
    },
  };
}

describe("EmbeddingCache", () => {
  it("round trip through disk", async () => {
    const vectors = Float32Array.of(1, 2, 3, 4, 5, 6, 0.5, -1, 1e-30, 7, 8, 9); // [2, 6]
    const first = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 6 });
    await first.add(["drill", "taladro"], vectors);
    const reopened = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 6 });
    expect(reopened.get("taladro")).toEqual(vectors.subarray(6, 12));
    expect(reopened.get("drill")).toEqual(vectors.subarray(0, 6));
  });

  it("counts hits and misses", async () => {
    const cache = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 6 });
    await cache.add(["drill"], new Float32Array(6));
    cache.get("drill");
    cache.get("saw");
    cache.get("drill");
    expect(cache.stats).toEqual({ hits: 2, misses: 1, entries: 1, skippedSegments: 0 });
  });

  it("ignores a killed writer's files", async () => {
    const cache = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 6 });
    await cache.add(["drill"], new Float32Array(6).fill(1));
    // A temporary file that was never renamed, and a segment cut short.
    await writeFile(join(cache.dir, "000000000000001-abcd.vectors.tmp-999"), "partial");
    await writeFile(join(cache.dir, "000000000000002-abcd.vectors"), Buffer.from("MRVEC001\x06\x00\x00\x00\x05\x00\x00\x00", "latin1"));
    const reopened = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 6 });
    expect(reopened.stats.entries).toBe(1);
    expect(reopened.stats.skippedSegments).toBe(1);
    expect((await readdir(cache.dir)).some((name) => name.includes(".tmp-"))).toBe(false);
  });

  it("compacts many segments into one", async () => {
    const cache = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 6 });
    for (let i = 0; i < 40; i++) await cache.add([`text ${i}`], new Float32Array(6).fill(i));
    const reopened = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 6 });
    const segments = (await readdir(cache.dir)).filter((name) => name.endsWith(".vectors"));
    expect(segments.length).toBe(1);
    expect(reopened.stats.entries).toBe(40);
    expect(reopened.get("text 39")).toEqual(new Float32Array(6).fill(39));
  });

  it("rejects another width in the same folder", async () => {
    await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 6 });
    const error = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 7 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain("with dim 6, but key");
  });

  it("rejects a vector count mismatch", async () => {
    const cache = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: 6 });
    await expect(cache.add(["a", "b"], new Float32Array(6))).rejects.toThrow(/received 6 values for 2 texts of width 6, expected 12/);
  });
});

describe("CachedEmbedder", () => {
  it("second epoch embeds nothing", async () => {
    const counting = countingBackbone();
    const cache = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: backbone.dim });
    const embedder = new CachedEmbedder(counting, cache);
    const texts = ["cordless drill", "saw", "cordless drill", "電動ドリル"];
    await embedder.embed(texts);
    await embedder.embed(texts);
    expect(counting.calls).toEqual([["cordless drill", "saw", "電動ドリル"]]);
  });

  it("counts hits and misses per lookup", async () => {
    const cache = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: backbone.dim });
    const embedder = new CachedEmbedder(backbone, cache);
    await embedder.embed(["drill", "saw", "drill"]);
    await embedder.embed(["drill", "hammer"]);
    expect(cache.stats).toEqual({ hits: 1, misses: 4, entries: 3, skippedSegments: 0 });
  });

  it("cached vectors equal fresh ones", async () => {
    const texts = ["taladro inalámbrico", "paint roller", "saw"];
    const first = new CachedEmbedder(backbone, await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: backbone.dim }));
    await first.embed(texts);
    const reopened = new CachedEmbedder(backbone, await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: backbone.dim }));
    expect(await reopened.embed(texts)).toEqual(await backbone.embed(texts));
    expect(reopened.cache.stats.misses).toBe(0);
  });

  it("writes one segment per chunk", async () => {
    const cache = await EmbeddingCache.open(cacheRoot, { key: backbone.key, dim: backbone.dim });
    const embedder = new CachedEmbedder(backbone, cache, { chunkSize: 2 });
    await embedder.embed(["a", "b", "c", "d", "e"]);
    const segments = (await readdir(cache.dir)).filter((name) => name.endsWith(".vectors"));
    expect(segments.length).toBe(3);
  });
});
