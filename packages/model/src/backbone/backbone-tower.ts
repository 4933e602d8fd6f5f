/**
 * A Siamese tower made of a frozen text embedder (usually a cached PretrainedBackbone) and a
 * trainable BackboneHead. It offers `encodeTexts` and `encodeProducts` like TwoTowerEncoder, so
 * evaluation and retrieval code can use either tower.
 *
 * Shapes used below: n = texts or products, I = backbone width, O = head output width.
 */
import { noProgress, type Product } from "@mine-refine/core";
import type { EmbeddingModel } from "../embedding-model.js";
import type { EncodeOptions } from "../encoder.js";
import type { BackboneHead } from "./backbone-head.js";
import type { TextEmbedder } from "./pretrained-backbone.js";

export interface BackboneTextOptions {
  /** Put before every query text, such as "query: " for E5 models. Defaults to "". */
  queryPrefix?: string;
  /** Put before every product text, such as "passage: " for E5 models. Defaults to "". */
  productPrefix?: string;
  /** Product fields joined with spaces into the product text; "title" is `Product.title`. Defaults to ["title"]. */
  productFields?: string[];
}

/** Returns the backbone input for a query: the prefix, then the query. */
export function backboneQueryText(text: string, options: BackboneTextOptions = {}): string {
  return `${options.queryPrefix ?? ""}${text}`;
}

/** Returns the backbone input for a product: the prefix, then the non-empty configured fields joined by spaces. */
export function backboneProductText(product: Product, options: BackboneTextOptions = {}): string {
  const fields = options.productFields ?? ["title"];
  const parts: string[] = [];
  for (const field of fields) {
    const value = field === "title" ? product.title : product.fields[field];
    if (value !== undefined && value.trim() !== "") parts.push(value.trim());
  }
  return `${options.productPrefix ?? ""}${parts.join(" ")}`;
}

export class BackboneTower implements EmbeddingModel {
  readonly embedder: TextEmbedder;
  readonly head: BackboneHead;
  readonly textOptions: BackboneTextOptions;

  constructor(embedder: TextEmbedder, head: BackboneHead, textOptions: BackboneTextOptions = {}) {
    if (embedder.dim !== head.inputDim) {
      throw new RangeError(`BackboneTower: the backbone returns vectors of width ${embedder.dim}, but the head expects inputDim ${head.inputDim}`);
    }
    this.embedder = embedder;
    this.head = head;
    this.textOptions = { ...textOptions };
  }

  get outputDim(): number {
    return this.head.outputDim;
  }

  /** Embeds query texts (with the query prefix) and returns [texts.length, O] unit-length vectors. */
  encodeTexts(texts: readonly string[], options: EncodeOptions = {}): Promise<Float32Array> {
    return this.encodeInChunks(
      texts.map((text) => backboneQueryText(text, this.textOptions)),
      "encode texts",
      options,
    );
  }

  /** Embeds products (with the product prefix) and returns [products.length, O] unit-length vectors. */
  encodeProducts(products: readonly Product[], options: EncodeOptions = {}): Promise<Float32Array> {
    return this.encodeInChunks(
      products.map((product) => backboneProductText(product, this.textOptions)),
      "encode products",
      options,
    );
  }

  private async encodeInChunks(texts: readonly string[], task: string, options: EncodeOptions): Promise<Float32Array> {
    const chunkSize = options.chunkSize ?? 512;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, received ${chunkSize}`);
    const onProgress = options.onProgress ?? noProgress;
    const output = new Float32Array(texts.length * this.outputDim); // [n, O]
    for (let start = 0; start < texts.length; start += chunkSize) {
      const chunk = texts.slice(start, start + chunkSize);
      const vectors = await this.embedder.embed(chunk); // [chunk, I]
      output.set(await this.head.encode(vectors, chunk.length), start * this.outputDim);
      onProgress({ task, done: start + chunk.length, total: texts.length });
    }
    return output;
  }
}

/**
 * Embeds `items` through `embedder` in one call and returns each id's backbone vector [I] (views
 * into one buffer), the lookup `trainBackboneHead` reads batches from.
 */
export async function embedById(embedder: TextEmbedder, items: readonly { id: string; text: string }[], options: EncodeOptions = {}): Promise<Map<string, Float32Array>> {
  const vectors = await embedder.embed(
    items.map((item) => item.text),
    options.onProgress,
  ); // [items, I]
  const byId = new Map<string, Float32Array>();
  for (const [i, item] of items.entries()) byId.set(item.id, vectors.subarray(i * embedder.dim, (i + 1) * embedder.dim));
  return byId;
}
