import type { Product } from "@mine-refine/core";
import type { EncodeOptions } from "./encoder.js";

/**
 * Anything that embeds query texts and products into one cosine space: the TypeScript
 * `TwoTowerEncoder` and the exported `OnnxEncoder` both fit, so retrieval, mining and evaluation
 * code can take either.
 */
export interface EmbeddingModel {
  /** Width of every embedding. */
  readonly outputDim: number;
  /** Returns [texts.length, outputDim] unit-length embeddings of query texts. */
  encodeTexts(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array>;
  /** Returns [products.length, outputDim] unit-length embeddings of products. */
  encodeProducts(products: readonly Product[], options?: EncodeOptions): Promise<Float32Array>;
}
