/**
 * On-disk cache of backbone vectors, keyed by the embedder's key (model hash and settings) and the
 * SHA-256 of each text, so training epochs, later stages and resumed runs do not run the
 * transformer again.
 *
 * Layout: `<root>/<first 32 hex digits of the embedder key>/` contains `cache.json` (the full key and
 * the width) and segment files. Each segment is written to a temporary name, flushed and renamed,
 * so a killed process leaves whole segments only:
 *
 *   bytes 0–7    magic "MRVEC001"
 *   bytes 8–11   dim, uint32 little-endian
 *   bytes 12–15  count, uint32 little-endian
 *   then         count × 16-byte text keys (the first 16 bytes of SHA-256 of the UTF-8 text)
 *   then         count × dim float32 little-endian rows, row i for key i
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError, InternalError, noProgress, type ProgressCallback } from "@mine-refine/core";
import type { TextEmbedder } from "./pretrained-backbone.js";

const MAGIC = "MRVEC001";
const HEADER_BYTES = 16;
const KEY_BYTES = 16;
const SEGMENT_SUFFIX = ".vectors";
/** Segments merged into one when a cache is opened with more than this many. */
const MAX_SEGMENTS = 32;

export interface EmbeddingCacheOptions {
  /** The embedder's key; vectors of another key live in another folder. */
  key: string;
  dim: number;
}

/** Counts since the cache was opened. */
export interface EmbeddingCacheStats {
  hits: number;
  misses: number;
  /** Vectors in the cache, loaded and added. */
  entries: number;
  /** Segment files skipped because their size does not match their header. */
  skippedSegments: number;
}

export class EmbeddingCache {
  readonly dir: string;
  readonly dim: number;
  private readonly vectors = new Map<string, Float32Array>(); // text key (hex) → [dim]
  private hits = 0;
  private misses = 0;
  private skippedSegments = 0;

  private constructor(dir: string, dim: number) {
    this.dir = dir;
    this.dim = dim;
  }

  /**
   * Opens the cache folder of `options.key` under `root`, creating it when missing, and loads every
   * segment into memory. Leftover temporary files of a killed writer are removed.
   */
  // NOTE: one process at a time per cache folder is assumed; a second writer's temporary files would be removed.
  static async open(root: string, options: EmbeddingCacheOptions): Promise<EmbeddingCache> {
    if (!Number.isInteger(options.dim) || options.dim < 1) throw new RangeError(`EmbeddingCache.open: dim must be a positive integer, received ${options.dim}`);
    const dir = join(root, options.key.slice(0, 32));
    await mkdir(dir, { recursive: true });
    const cache = new EmbeddingCache(dir, options.dim);
    await cache.checkDescription(options.key);

    const segments: string[] = [];
    for (const entry of (await readdir(dir)).sort()) {
      if (entry.includes(".tmp-")) await rm(join(dir, entry), { force: true });
      else if (entry.endsWith(SEGMENT_SUFFIX)) segments.push(entry);
    }
    for (const segment of segments) await cache.loadSegment(join(dir, segment));
    if (segments.length > MAX_SEGMENTS) await cache.compact(segments);
    return cache;
  }

  /** Returns the vector of `text` [dim] and counts a hit, or undefined and counts a miss. */
  get(text: string): Float32Array | undefined {
    const vector = this.vectors.get(textKey(text));
    if (vector === undefined) this.misses++;
    else this.hits++;
    return vector;
  }

  /** Returns the vector of `text` [dim] without counting a hit or miss. */
  peek(text: string): Float32Array | undefined {
    return this.vectors.get(textKey(text));
  }

  /** Adds the rows of `vectors` [texts.length, dim] and writes them to disk as one segment. */
  async add(texts: readonly string[], vectors: Float32Array): Promise<void> {
    if (vectors.length !== texts.length * this.dim) {
      throw new RangeError(`EmbeddingCache.add: received ${vectors.length} values for ${texts.length} texts of width ${this.dim}, expected ${texts.length * this.dim}`);
    }
    if (texts.length === 0) return;
    const keys = texts.map(textKey);
    await this.writeSegment(keys, vectors);
    for (const [i, key] of keys.entries()) this.vectors.set(key, vectors.slice(i * this.dim, (i + 1) * this.dim));
  }

  get stats(): EmbeddingCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.vectors.size, skippedSegments: this.skippedSegments };
  }

  private async checkDescription(key: string): Promise<void> {
    const file = join(this.dir, "cache.json");
    let text: string | undefined;
    try {
      text = await readFile(file, "utf8");
    } catch {
      await writeFile(file, `${JSON.stringify({ key, dim: this.dim }, null, 2)}\n`);
      return;
    }
    const saved = JSON.parse(text) as { key?: unknown; dim?: unknown };
    if (saved.key !== key || saved.dim !== this.dim) {
      throw new InputError(
        "embedding_cache_mismatch",
        { file },
        `the cache folder belongs to key ${String(saved.key)} with dim ${String(saved.dim)}, but key ${key} with dim ${this.dim} was requested`,
        `Delete ${this.dir} and run again.`,
      );
    }
  }

  private async loadSegment(file: string): Promise<void> {
    const bytes = await readFile(file);
    const valid = bytes.length >= HEADER_BYTES && bytes.toString("latin1", 0, 8) === MAGIC;
    const dim = valid ? bytes.readUInt32LE(8) : 0;
    const count = valid ? bytes.readUInt32LE(12) : 0;
    if (!valid || dim !== this.dim || bytes.length !== HEADER_BYTES + count * (KEY_BYTES + dim * 4)) {
      this.skippedSegments++;
      return;
    }
    const rowsStart = HEADER_BYTES + count * KEY_BYTES;
    // Copy into an aligned buffer, because rowsStart need not be a multiple of 4 in the file buffer.
    const rows = new Float32Array(count * dim); // [count, dim]
    new Uint8Array(rows.buffer).set(bytes.subarray(rowsStart, rowsStart + rows.byteLength));
    for (let i = 0; i < count; i++) {
      const key = bytes.toString("hex", HEADER_BYTES + i * KEY_BYTES, HEADER_BYTES + (i + 1) * KEY_BYTES);
      this.vectors.set(key, rows.subarray(i * dim, (i + 1) * dim));
    }
  }

  /** Writes every vector into one new segment, then deletes `segments`; a kill in between leaves harmless duplicates. */
  private async compact(segments: readonly string[]): Promise<void> {
    const keys = [...this.vectors.keys()];
    const rows = new Float32Array(keys.length * this.dim); // [entries, dim]
    for (const [i, key] of keys.entries()) rows.set(this.vectors.get(key)!, i * this.dim);
    await this.writeSegment(keys, rows);
    for (const segment of segments) await rm(join(this.dir, segment), { force: true });
  }

  private async writeSegment(keys: readonly string[], rows: Float32Array): Promise<void> {
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(MAGIC, 0, "latin1");
    header.writeUInt32LE(this.dim, 8);
    header.writeUInt32LE(keys.length, 12);
    const keyBytes = Buffer.from(keys.join(""), "hex");
    // The time prefix keeps segments in write order when sorted by name.
    const name = `${Date.now().toString().padStart(15, "0")}-${randomBytes(4).toString("hex")}${SEGMENT_SUFFIX}`;
    const temporary = join(this.dir, `${name}.tmp-${process.pid}`);
    const file = await open(temporary, "w");
    try {
      await file.write(header);
      await file.write(keyBytes);
      await file.write(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(this.dir, name));
  }
}

/** Returns the cache key of a text: the first 16 bytes of its SHA-256, in hex. */
export function textKey(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, KEY_BYTES * 2);
}

export interface CachedEmbedderOptions {
  /** Texts embedded and written as one segment. Defaults to 1024; a kill loses at most one chunk of work. */
  chunkSize?: number;
}

/** A TextEmbedder that returns cached vectors and embeds only the texts its EmbeddingCache does not contain. */
export class CachedEmbedder implements TextEmbedder {
  readonly embedder: TextEmbedder;
  readonly cache: EmbeddingCache;
  private readonly chunkSize: number;

  constructor(embedder: TextEmbedder, cache: EmbeddingCache, options: CachedEmbedderOptions = {}) {
    if (cache.dim !== embedder.dim) throw new RangeError(`CachedEmbedder: the cache has dim ${cache.dim} but the embedder returns ${embedder.dim}`);
    this.embedder = embedder;
    this.cache = cache;
    this.chunkSize = options.chunkSize ?? 1024;
  }

  get dim(): number {
    return this.embedder.dim;
  }

  get key(): string {
    return this.embedder.key;
  }

  /**
   * Returns [texts.length, dim]. Each lookup counts a cache hit or miss, and every missing text is
   * embedded once, even when it occurs several times, and added to the cache.
   */
  async embed(texts: readonly string[], onProgress: ProgressCallback = noProgress): Promise<Float32Array> {
    const found = texts.map((text) => this.cache.get(text));
    const missing = [...new Set(texts.filter((_text, i) => found[i] === undefined))];
    for (let start = 0; start < missing.length; start += this.chunkSize) {
      const chunk = missing.slice(start, start + this.chunkSize);
      await this.cache.add(chunk, await this.embedder.embed(chunk));
      onProgress({ task: "embed new texts with the backbone", done: start + chunk.length, total: missing.length });
    }
    const output = new Float32Array(texts.length * this.dim); // [texts, dim]
    texts.forEach((text, i) => {
      const vector = found[i] ?? this.cache.peek(text);
      if (vector === undefined) throw new InternalError(`text ${i} has no cached vector after embedding`);
      output.set(vector, i * this.dim);
    });
    return output;
  }
}
