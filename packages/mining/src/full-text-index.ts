import "./lancedb-env.js";
import * as lancedb from "@lancedb/lancedb";
import { MineRefineError, type ProgressCallback } from "@mine-refine/core";

export interface FullTextHit {
  /** Position of the document in the array given to `create`. */
  index: number;
  /** LanceDB's BM25 score. */
  score: number;
}

/**
 * BM25 search over product text through LanceDB full-text search (a tantivy-style inverted index).
 * It is the lexical baseline of evaluation and the lexical half of hybrid retrieval.
 */
export class FullTextIndex {
  private readonly table: lancedb.Table;

  private constructor(table: lancedb.Table) {
    this.table = table;
  }

  /**
   * Writes the documents to `dir/tableName` and builds the FTS index: lower-cased, English stemming
   * off by default so that model numbers and sizes stay intact.
   */
  static async create(
    dir: string,
    tableName: string,
    documents: readonly string[],
    options: { stem?: boolean; language?: string; batchSize?: number; progress?: ProgressCallback } = {},
  ): Promise<FullTextIndex> {
    if (documents.length === 0) throw new MineRefineError("invalid_documents", "Cannot build a full-text index over no documents.");
    const db = await lancedb.connect(dir);
    const batchSize = options.batchSize ?? 20_000;
    const rows = (start: number, end: number) => documents.slice(start, end).map((text, i) => ({ row: start + i, text }));
    const table = await db.createTable(tableName, rows(0, Math.min(batchSize, documents.length)), { mode: "overwrite" });
    for (let start = batchSize; start < documents.length; start += batchSize) {
      await table.add(rows(start, Math.min(documents.length, start + batchSize)));
      options.progress?.({ task: "write documents", done: Math.min(documents.length, start + batchSize), total: documents.length });
    }
    await table.createIndex("text", {
      config: lancedb.Index.fts({ stem: options.stem ?? false, language: options.language ?? "English", lowercase: true, withPosition: false }),
      replace: true,
    });
    return new FullTextIndex(table);
  }

  /** Returns the `k` best documents for a query. A query with no indexed term returns no hits. */
  async search(query: string, k: number): Promise<FullTextHit[]> {
    const cleaned = sanitizeQuery(query);
    if (cleaned === "") return [];
    const rows = (await this.table.query().fullTextSearch(cleaned).select(["row", "_score"]).limit(k).toArray()) as { row: number; _score: number }[];
    return rows.map((row) => ({ index: Number(row.row), score: row._score }));
  }
}

/**
 * Keeps letters, digits and spaces: LanceDB parses a full-text query string, so characters such as
 * quotes, colons or parentheses in a shopper's query would otherwise be read as query syntax.
 */
function sanitizeQuery(query: string): string {
  return query.normalize("NFKC").replace(/[^\p{L}\p{N}\s]+/gu, " ").replace(/\s+/g, " ").trim();
}
