/**
 * Shapes used below: nnz = feature ids in a batch (the sum of all bag sizes), batch = number of bags.
 */
import { type Product, isCjkWord, murmur3, murmur3Bytes, normalizeText, segmentWords } from "@mine-refine/core";

/** Settings that turn texts into bags of hashed feature ids. Checkpoints store them, so ids stay stable. */
export interface FeaturizerConfig {
  /** Size of the hashed id space, which is the number of embedding rows. Bucket 0 is reserved for empty text. */
  buckets: number;
  /** Hash seed; changing it reassigns every feature to another bucket. */
  seed: number;
  /** Word n-gram lengths, for example [1, 2] for unigrams and bigrams. */
  wordNgrams?: number[];
  /** Character n-gram length ranges [min, max] inside each word padded as `<word>`. */
  charNgrams?: { latin?: [number, number]; cjk?: [number, number] };
  /**
   * Product fields to featurize. "title" reads `Product.title`, any other name reads
   * `Product.fields[name]` and is skipped when absent.
   */
  productFields?: string[];
}

/** A `FeaturizerConfig` with every default filled in. */
export interface ResolvedFeaturizerConfig {
  buckets: number;
  seed: number;
  wordNgrams: number[];
  charNgrams: { latin: [number, number]; cjk: [number, number] };
  productFields: string[];
}

/** Bags of feature ids in the compressed layout an embedding bag reads. */
export interface FeatureBatch {
  /** [nnz] feature ids of all bags, one bag after another. */
  ids: Int32Array;
  /** [batch + 1] bag b owns ids[offsets[b] .. offsets[b + 1]). */
  offsets: Int32Array;
}

const utf8 = new TextEncoder();

/** Bucket of the empty bag, so every text yields at least one feature. Hashed features never land here. */
export const EMPTY_TEXT_BUCKET = 0;

/** The field name whose salt query text and product titles share, so a word hits the same bucket in both. */
export const TEXT_FIELD = "text";

export function resolveFeaturizerConfig(config: FeaturizerConfig): ResolvedFeaturizerConfig {
  const resolved: ResolvedFeaturizerConfig = {
    buckets: config.buckets,
    seed: config.seed,
    wordNgrams: config.wordNgrams ?? [1, 2],
    charNgrams: { latin: config.charNgrams?.latin ?? [3, 5], cjk: config.charNgrams?.cjk ?? [1, 2] },
    productFields: config.productFields ?? ["title", "brand"],
  };
  const problems: string[] = [];
  if (!Number.isInteger(resolved.buckets) || resolved.buckets < 2 || resolved.buckets > 2 ** 31 - 1) {
    problems.push(`buckets must be an integer in [2, 2^31 - 1], received ${resolved.buckets}`);
  }
  if (!Number.isInteger(resolved.seed)) problems.push(`seed must be an integer, received ${resolved.seed}`);
  for (const n of resolved.wordNgrams) {
    if (!Number.isInteger(n) || n < 1) problems.push(`wordNgrams entries must be positive integers, received ${n}`);
  }
  for (const script of ["latin", "cjk"] as const) {
    const [min, max] = resolved.charNgrams[script];
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) {
      problems.push(`charNgrams.${script} must be [min, max] with 1 <= min <= max, received [${min}, ${max}]`);
    }
  }
  if (problems.length > 0) throw new RangeError(`Invalid featurizer config: ${problems.join("; ")}`);
  return resolved;
}

/**
 * Turns query and product text into bags of hashed feature ids: word n-grams and character n-grams
 * of each word, hashed with MurmurHash3 under a per-field salt into `buckets - 1` buckets (bucket 0
 * is the empty-text bucket). Repeated features stay repeated, so the bag counts them.
 */
export class Featurizer {
  readonly config: ResolvedFeaturizerConfig;
  private readonly seedBySalt = new Map<string, number>();
  private utf8Buffer = new Uint8Array(256);

  constructor(config: FeaturizerConfig) {
    this.config = resolveFeaturizerConfig(config);
  }

  featurizeQuery(text: string): Int32Array {
    const ids: number[] = [];
    this.addText(ids, text, TEXT_FIELD);
    return finishBag(ids);
  }

  featurizeProduct(product: Product): Int32Array {
    const ids: number[] = [];
    for (const field of this.config.productFields) {
      if (field === "title") {
        this.addText(ids, product.title, TEXT_FIELD);
        continue;
      }
      const value = product.fields[field];
      if (value !== undefined) this.addText(ids, value, field);
    }
    return finishBag(ids);
  }

  /** Concatenates bags into one batch. */
  batch(list: readonly Int32Array[]): FeatureBatch {
    const offsets = new Int32Array(list.length + 1); // [batch + 1]
    let total = 0;
    for (let b = 0; b < list.length; b++) {
      total += list[b]!.length;
      offsets[b + 1] = total;
    }
    const ids = new Int32Array(total); // [nnz]
    for (let b = 0; b < list.length; b++) ids.set(list[b]!, offsets[b]!);
    return { ids, offsets };
  }

  /** Lists the feature strings of a text before hashing, for inspection and tests. */
  features(text: string): string[] {
    const words = segmentWords(normalizeText(text));
    const features: string[] = [];
    for (const n of this.config.wordNgrams) {
      for (let i = 0; i + n <= words.length; i++) features.push(`w${n}:${words.slice(i, i + n).join(" ")}`);
    }
    for (const word of words) {
      const [min, max] = isCjkWord(word) ? this.config.charNgrams.cjk : this.config.charNgrams.latin;
      // Code points, not UTF-16 units, so a character outside the BMP is never split.
      const characters = Array.from(`<${word}>`);
      const last = characters.length - 1;
      for (let n = min; n <= max; n++) {
        for (let i = 0; i + n <= characters.length; i++) {
          // A lone boundary mark ("<" or ">") carries no information about the word.
          if (n === 1 && (i === 0 || i === last)) continue;
          features.push(`c:${n === 1 ? characters[i] : characters.slice(i, i + n).join("")}`);
        }
      }
    }
    return features;
  }

  /**
   * Returns the bucket of one feature string in a field, in [1, buckets): MurmurHash3 of the
   * feature's UTF-8 bytes, as `murmur3` from core computes it. The bytes go through a reused buffer
   * because a new `TextEncoder.encode` array per feature was the largest cost in a featurization profile.
   */
  bucketOf(feature: string, field: string): number {
    if (this.utf8Buffer.length < feature.length * 3) this.utf8Buffer = new Uint8Array(feature.length * 3);
    const { written } = utf8.encodeInto(feature, this.utf8Buffer);
    return 1 + (murmur3Bytes(this.utf8Buffer.subarray(0, written), this.seedFor(field)) % (this.config.buckets - 1));
  }

  private addText(ids: number[], text: string, field: string): void {
    for (const feature of this.features(text)) ids.push(this.bucketOf(feature, field));
  }

  private seedFor(field: string): number {
    let seed = this.seedBySalt.get(field);
    if (seed === undefined) {
      seed = (this.config.seed ^ murmur3(`field:${field}`, 0)) >>> 0;
      this.seedBySalt.set(field, seed);
    }
    return seed;
  }
}

function finishBag(ids: number[]): Int32Array {
  if (ids.length === 0) return Int32Array.of(EMPTY_TEXT_BUCKET);
  return Int32Array.from(ids);
}
