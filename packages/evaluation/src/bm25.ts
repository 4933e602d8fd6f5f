import { tokenize as defaultTokenize } from "@mine-refine/core";
import { TopKHeaps } from "./top-k-heap.js";
import { requireCount } from "./validate.js";

export interface Bm25Options {
  /** Term-frequency saturation. Larger values let repeated terms keep adding score. Default 1.2. */
  k1?: number;
  /** Document-length normalisation, from 0 (none) to 1 (full). Default 0.75. */
  b?: number;
  /** Splits a text into terms. Default: `tokenize` from core (NFKC, lower case, word segments). */
  tokenize?: (text: string) => string[];
}

/** One search result: the position of the document in the constructor's array, and its BM25 score. */
export interface Bm25Hit {
  index: number;
  score: number;
}

/** The documents that contain one term, with the term's count in each. */
interface Postings {
  /** [documentsWithTerm], ascending */
  docIndices: Int32Array;
  /** [documentsWithTerm] */
  termFrequencies: Int32Array;
  /** Lucene-style inverse document frequency of the term. */
  idf: number;
}

/**
 * An in-memory Okapi BM25 index over an inverted index of postings lists, so a search only visits
 * the documents that contain a query term.
 *
 * score(q, d) = Σ over distinct terms t of q that occur in d of
 *   idf(t) · tf(t, d) · (k1 + 1) / (tf(t, d) + k1 · (1 − b + b · |d| / avgdl))
 * with idf(t) = ln(1 + (N − n(t) + 0.5) / (n(t) + 0.5)), the Lucene form, which stays positive for
 * terms that occur in more than half of the documents. N is the number of documents, n(t) the number
 * that contain t, |d| the number of terms of d and avgdl the mean of |d|. A term repeated in the
 * query counts once.
 */
export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  readonly documentCount: number;
  /** Mean number of terms per document. */
  readonly averageLength: number;
  private readonly tokenize: (text: string) => string[];
  private readonly postings = new Map<string, Postings>();
  /** [documents] the length-normalisation term k1 · (1 − b + b · |d| / avgdl) of each document. */
  private readonly lengthNorms: Float64Array;
  /** [documents] score accumulator reused by `search`; only touched entries are reset. */
  private readonly accumulator: Float64Array;

  constructor(documents: readonly string[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (!Number.isFinite(this.k1) || this.k1 < 0) {
      throw new RangeError(`Bm25Index option k1 must be a finite number >= 0, received ${this.k1}`);
    }
    if (!Number.isFinite(this.b) || this.b < 0 || this.b > 1) {
      throw new RangeError(`Bm25Index option b must be between 0 and 1, received ${this.b}`);
    }
    this.tokenize = options.tokenize ?? defaultTokenize;
    this.documentCount = documents.length;

    // Count terms per document, then gather the counts into postings lists in document order.
    // NOTE: the default tokenizer takes most of the build time, about 3.6 s of 4.6 s for 54,667
    // product titles in bench/bm25.mjs; a simpler `tokenize` option builds faster.
    const lengths = new Int32Array(documents.length);
    const lists = new Map<string, { docs: number[]; counts: number[] }>();
    let totalLength = 0;
    for (let doc = 0; doc < documents.length; doc++) {
      const terms = this.tokenize(documents[doc] ?? "");
      lengths[doc] = terms.length;
      totalLength += terms.length;
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, count] of counts) {
        let list = lists.get(term);
        if (list === undefined) {
          list = { docs: [], counts: [] };
          lists.set(term, list);
        }
        list.docs.push(doc);
        list.counts.push(count);
      }
    }
    this.averageLength = documents.length > 0 ? totalLength / documents.length : 0;

    const n = documents.length;
    for (const [term, list] of lists) {
      const df = list.docs.length;
      this.postings.set(term, {
        docIndices: Int32Array.from(list.docs),
        termFrequencies: Int32Array.from(list.counts),
        idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)),
      });
    }

    this.lengthNorms = new Float64Array(n);
    for (let doc = 0; doc < n; doc++) {
      // An index whose documents are all empty has avgdl 0; no term matches there, so any value works.
      const relativeLength = this.averageLength > 0 ? (lengths[doc] ?? 0) / this.averageLength : 1;
      this.lengthNorms[doc] = this.k1 * (1 - this.b + this.b * relativeLength);
    }
    this.accumulator = new Float64Array(n);
  }

  /** Number of distinct terms in the index. */
  get vocabularySize(): number {
    return this.postings.size;
  }

  /**
   * Returns the `k` best documents for `query`, sorted by score descending and ties by index
   * ascending. Only documents that contain at least one query term are returned, so the result can
   * be shorter than `k`.
   */
  search(query: string, k: number): Bm25Hit[] {
    requireCount("Bm25Index.search k", k);
    const touched: number[] = [];
    const scores = this.accumulator;
    for (const list of this.queryPostings(query)) {
      const { docIndices, termFrequencies, idf } = list;
      const weight = idf * (this.k1 + 1);
      for (let i = 0; i < docIndices.length; i++) {
        const doc = docIndices[i]!;
        const tf = termFrequencies[i]!;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += (weight * tf) / (tf + this.lengthNorms[doc]!);
      }
    }

    // A bounded heap keeps the best k without sorting every matching document.
    const resultCount = Math.min(k, touched.length);
    const heap = new TopKHeaps(1, resultCount);
    if (resultCount > 0) for (const doc of touched) heap.offer(0, doc, scores[doc]!);
    for (const doc of touched) scores[doc] = 0;

    const best = heap.sortedRows();
    const hits: Bm25Hit[] = [];
    for (let rank = 0; rank < resultCount; rank++) hits.push({ index: best.indices[rank]!, score: best.scores[rank]! });
    return hits;
  }

  /** Returns the BM25 score of one document for `query`; 0 when no query term occurs in it. */
  score(query: string, docIndex: number): number {
    if (!Number.isInteger(docIndex) || docIndex < 0 || docIndex >= this.documentCount) {
      throw new RangeError(
        `Bm25Index.score docIndex must be an integer in [0, ${this.documentCount}), received ${docIndex}`,
      );
    }
    let total = 0;
    for (const { docIndices, termFrequencies, idf } of this.queryPostings(query)) {
      const at = binarySearch(docIndices, docIndex);
      if (at < 0) continue;
      const tf = termFrequencies[at]!;
      total += (idf * tf * (this.k1 + 1)) / (tf + this.lengthNorms[docIndex]!);
    }
    return total;
  }

  /** Postings lists of the distinct query terms that occur in the index. */
  private queryPostings(query: string): Postings[] {
    const lists: Postings[] = [];
    for (const term of new Set(this.tokenize(query))) {
      const list = this.postings.get(term);
      if (list !== undefined) lists.push(list);
    }
    return lists;
  }
}

/** Returns the position of `value` in the ascending array, or -1 when it is absent. */
function binarySearch(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const current = sorted[mid]!;
    if (current === value) return mid;
    if (current < value) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}
