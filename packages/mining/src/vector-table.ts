/**
 * Product vectors in a LanceDB table. Shapes: N = products, Q = queries, D = dimension, K = results
 * per query. Rows are `{ id: utf8, vector: fixed_size_list<float32>[D] }`; scores returned are cosine
 * similarities (1 − cosine distance).
 */
import { createRequire } from "node:module";
import type * as ArrowModule from "apache-arrow";
import type { DataType, FixedSizeList, Float32, Schema, Table as ArrowTable } from "apache-arrow";
import "./lancedb-env.js";
import * as lancedb from "@lancedb/lancedb";
import { MineRefineError, type ProgressCallback, Rng } from "@mine-refine/core";

export type VectorIndexKind = "auto" | "ivf_pq" | "hnsw" | "none";

export interface BuildIndexOptions {
  /**
   * `ivf_pq` compresses vectors: small and fast, with a recall that depends on `nprobes` and
   * `refineFactor` at query time. `hnsw` builds an IVF-HNSW-SQ graph, which is larger and slower to
   * build but has a higher recall. `auto` picks IVF-PQ, and `none` keeps exact search.
   */
  kind?: VectorIndexKind;
  /** Below this many rows no index is built: an exact scan is fast and has recall 1. */
  minRowsForIndex?: number;
  /** IVF partitions; default √N. More partitions make probing cheaper but need more `nprobes`. */
  numPartitions?: number;
  /** PQ sub-vectors; default D / 8 (D must divide evenly). More sub-vectors: better recall, larger index. */
  numSubVectors?: number;
}

export interface SearchOptions {
  /** Query vectors sent to LanceDB in one call. Memory grows with batchSize × K. */
  batchSize?: number;
  /** IVF partitions probed per query; more probes raise recall and cost. */
  nprobes?: number;
  /** Re-rank refineFactor × K PQ candidates with full vectors; raises recall for a read of K × factor rows. */
  refineFactor?: number;
  /** Ignore the index and scan every row (recall 1). */
  exact?: boolean;
  progress?: ProgressCallback;
}

export interface SearchResult {
  /** Q lists of at most K product ids, best first. */
  ids: string[][];
  /** [Q, K] cosine similarities; NaN where a list is shorter than K. */
  scores: Float32Array;
}

const VECTOR_COLUMN = "vector";

/**
 * apache-arrow loaded through `require`: LanceDB is a CommonJS package and tests Arrow objects with
 * `instanceof` against the CommonJS build, so tables built from the ESM build are silently written
 * as zero rows.
 */
const arrow = createRequire(import.meta.url)("apache-arrow") as typeof ArrowModule;

/** A LanceDB table of product vectors with cosine search. */
export class ProductVectorTable {
  readonly dim: number;
  private readonly table: lancedb.Table;
  private indexed = false;

  private constructor(table: lancedb.Table, dim: number) {
    this.table = table;
    this.dim = dim;
  }

  /** Writes the vectors to `dir/tableName`, replacing a table of that name, in batches of `batchSize` rows. */
  static async create(
    dir: string,
    tableName: string,
    ids: readonly string[],
    vectors: Float32Array, // [N, D]
    dim: number,
    options: { batchSize?: number; progress?: ProgressCallback } = {},
  ): Promise<ProductVectorTable> {
    if (vectors.length !== ids.length * dim) {
      throw new MineRefineError(
        "invalid_vectors",
        `Expected ${ids.length} × ${dim} = ${ids.length * dim} vector values for ${ids.length} ids, received ${vectors.length}.`,
      );
    }
    if (ids.length === 0) throw new MineRefineError("invalid_vectors", "Cannot create a vector table with no products.");
    const batchSize = options.batchSize ?? 20_000;
    const schema = vectorSchema(dim);
    const db = await lancedb.connect(dir);
    const table = await db.createEmptyTable(tableName, schema, { mode: "overwrite" });
    for (let start = 0; start < ids.length; start += batchSize) {
      const end = Math.min(ids.length, start + batchSize);
      await table.add(toArrowBatch(schema, ids.slice(start, end), vectors.subarray(start * dim, end * dim), dim));
      options.progress?.({ task: "write vectors", done: end, total: ids.length });
    }
    return new ProductVectorTable(table, dim);
  }

  /** Opens an existing table and checks its vector column and index metric. */
  static async open(dir: string, tableName: string): Promise<ProductVectorTable> {
    const db = await lancedb.connect(dir);
    const names = await db.tableNames();
    if (!names.includes(tableName)) {
      throw new MineRefineError("table_not_found", `No vector table "${tableName}" in ${dir} (found: ${names.join(", ") || "none"}). Run the index stage first.`);
    }
    const table = await db.openTable(tableName);
    const dim = checkVectorColumn(await table.schema(), `${dir}/${tableName}`);
    const result = new ProductVectorTable(table, dim);
    await result.checkIndexMetric();
    return result;
  }

  async countRows(): Promise<number> {
    return this.table.countRows();
  }

  /** Builds an ANN index with the cosine metric, or none below `minRowsForIndex`. Returns the kind built. */
  async buildIndex(options: BuildIndexOptions = {}): Promise<VectorIndexKind> {
    const rows = await this.table.countRows();
    const kind = options.kind ?? "auto";
    if (kind === "none" || rows < (options.minRowsForIndex ?? 10_000)) return "none";
    const numPartitions = options.numPartitions ?? Math.max(1, Math.round(Math.sqrt(rows)));
    if (kind === "hnsw") {
      await this.table.createIndex(VECTOR_COLUMN, {
        config: lancedb.Index.hnswSq({ distanceType: "cosine", numPartitions: Math.max(1, Math.round(numPartitions / 8)) }),
        replace: true,
      });
    } else {
      const numSubVectors = options.numSubVectors ?? Math.max(1, Math.floor(this.dim / 8));
      if (this.dim % numSubVectors !== 0) {
        throw new MineRefineError("invalid_option", `numSubVectors ${numSubVectors} must divide the dimension ${this.dim}.`);
      }
      await this.table.createIndex(VECTOR_COLUMN, {
        config: lancedb.Index.ivfPq({ distanceType: "cosine", numPartitions, numSubVectors }),
        replace: true,
      });
    }
    this.indexed = true;
    await this.checkIndexMetric();
    return kind === "hnsw" ? "hnsw" : "ivf_pq";
  }

  /** Returns the top-K products of each query by cosine similarity, searching in batches. */
  async search(queries: Float32Array /* [Q, D] */, k: number, options: SearchOptions = {}): Promise<SearchResult> {
    const dim = this.dim;
    if (queries.length % dim !== 0) {
      throw new MineRefineError("invalid_vectors", `Query vectors have ${queries.length} values, not a multiple of the dimension ${dim}.`);
    }
    const numQueries = queries.length / dim;
    const batchSize = options.batchSize ?? 64;
    const ids: string[][] = [];
    const scores = new Float32Array(numQueries * k).fill(Number.NaN); // [Q, K]
    for (let start = 0; start < numQueries; start += batchSize) {
      const end = Math.min(numQueries, start + batchSize);
      const pending: Promise<{ id: string; _distance: number }[]>[] = [];
      for (let q = start; q < end; q++) {
        let query = this.table.vectorSearch(queries.slice(q * dim, (q + 1) * dim)).distanceType("cosine").select(["id", "_distance"]).limit(k);
        if (options.exact === true) query = query.bypassVectorIndex();
        if (options.nprobes !== undefined) query = query.nprobes(options.nprobes);
        if (options.refineFactor !== undefined) query = query.refineFactor(options.refineFactor);
        pending.push(query.toArray() as Promise<{ id: string; _distance: number }[]>);
      }
      const results = await Promise.all(pending);
      results.forEach((rows, offset) => {
        const q = start + offset;
        ids[q] = rows.map((row) => row.id);
        rows.forEach((row, r) => {
          scores[q * k + r] = 1 - row._distance;
        });
      });
      options.progress?.({ task: "vector search", done: end, total: numQueries });
    }
    return { ids, scores };
  }

  /**
   * Measures recall@K of the index against exact search on a seeded sample of query rows, and the
   * throughput of both. With no index the recall is 1 by construction.
   */
  async measureRecall(
    queries: Float32Array, // [Q, D]
    k: number,
    options: { sample?: number; seed?: number } & Omit<SearchOptions, "exact"> = {},
  ): Promise<{ recall: number; queries: number; annQueriesPerSecond: number; exactQueriesPerSecond: number }> {
    const numQueries = queries.length / this.dim;
    const order = new Rng(options.seed ?? 1).shuffle(Array.from({ length: numQueries }, (_, i) => i));
    const chosen = order.slice(0, Math.min(options.sample ?? 500, numQueries));
    const sample = new Float32Array(chosen.length * this.dim);
    chosen.forEach((q, i) => {
      sample.set(queries.subarray(q * this.dim, (q + 1) * this.dim), i * this.dim);
    });

    let started = performance.now();
    const ann = await this.search(sample, k, { ...options, exact: false });
    const annSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const exact = await this.search(sample, k, { ...options, exact: true });
    const exactSeconds = (performance.now() - started) / 1000;

    let found = 0;
    let total = 0;
    chosen.forEach((_, i) => {
      const truth = new Set(exact.ids[i]);
      total += truth.size;
      for (const id of ann.ids[i] ?? []) if (truth.has(id)) found++;
    });
    return {
      recall: total === 0 ? 1 : found / total,
      queries: chosen.length,
      annQueriesPerSecond: chosen.length / annSeconds,
      exactQueriesPerSecond: chosen.length / exactSeconds,
    };
  }

  /** True when the table has a vector index; a search then is approximate unless `exact` is set. */
  async hasIndex(): Promise<boolean> {
    const indices = await this.table.listIndices();
    return indices.some((index) => index.columns.includes(VECTOR_COLUMN)) || this.indexed;
  }

  private async checkIndexMetric(): Promise<void> {
    for (const index of await this.table.listIndices()) {
      if (!index.columns.includes(VECTOR_COLUMN)) continue;
      const stats = await this.table.indexStats(index.name);
      const metric = stats?.distanceType;
      if (metric !== undefined && metric.toLowerCase() !== "cosine") {
        throw new MineRefineError(
          "index_metric_mismatch",
          `The vector index "${index.name}" uses the ${metric} metric, but searches use cosine; LanceDB would fall back to a full scan. Rebuild the index (run the index stage again).`,
        );
      }
    }
  }
}

function vectorSchema(dim: number): Schema {
  const { Field, FixedSizeList, Float32, Schema, Utf8 } = arrow;
  return new Schema([
    new Field("id", new Utf8(), true),
    new Field(VECTOR_COLUMN, new FixedSizeList(dim, new Field("item", new Float32(), true)), true),
  ]);
}

function toArrowBatch(schema: Schema, ids: readonly string[], vectors: Float32Array, dim: number): ArrowTable {
  const listType = schema.fields[1]!.type as FixedSizeList<Float32>;
  const { Float32, makeData, makeVector, Table, Utf8, vectorFromArray } = arrow;
  const values = makeData({ type: new Float32(), length: vectors.length, data: vectors });
  const lists = makeData({ type: listType, length: ids.length, nullCount: 0, child: values });
  if (lists.length * dim !== vectors.length) throw new MineRefineError("internal", "Internal error: vector batch size mismatch");
  return new Table(schema, { id: vectorFromArray(ids as string[], new Utf8()), [VECTOR_COLUMN]: makeVector(lists) });
}

/** Checks that the vector column is a fixed-size list of float32 and returns its dimension. */
export function checkVectorColumn(schema: Schema, where: string): number {
  const field = schema.fields.find((item) => item.name === VECTOR_COLUMN);
  if (field === undefined) {
    throw new MineRefineError("invalid_vector_table", `${where}: no "${VECTOR_COLUMN}" column. Recreate the table with ProductVectorTable.create.`);
  }
  const type = field.type as DataType;
  const listSize = (type as FixedSizeList).listSize;
  const child = (type as FixedSizeList).children?.[0]?.type;
  if (!arrow.DataType.isFixedSizeList(type) || child === undefined || !arrow.DataType.isFloat(child) || (child as Float32).precision !== 1) {
    throw new MineRefineError(
      "invalid_vector_table",
      `${where}: column "${VECTOR_COLUMN}" has type ${String(type)}, expected fixed_size_list<float32>. Recreate the table with float32 vectors.`,
    );
  }
  return listSize;
}
