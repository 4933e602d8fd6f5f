import type { Product, ProgressCallback } from "@mine-refine/core";
import type { DenseSystem } from "./systems.js";

/** The part of `TwoTowerEncoder` from `@mine-refine/model` that evaluation needs, typed by shape only. */
export interface TextEncoderLike {
  readonly outputDim: number;
  /** Returns [texts, outputDim] L2-normalised embeddings. */
  encodeTexts(texts: readonly string[], options?: { onProgress?: ProgressCallback }): Promise<Float32Array>;
  /** Returns [products, outputDim] L2-normalised embeddings. */
  encodeProducts(products: readonly Product[], options?: { onProgress?: ProgressCallback }): Promise<Float32Array>;
}

/** Wraps a two-tower encoder as a dense system; progress tasks are prefixed with the system name. */
export function encoderSystem(name: string, encoder: TextEncoderLike, progress?: ProgressCallback): DenseSystem {
  const report = (task: string): ProgressCallback => (event) => progress?.({ ...event, task: `${name}: ${task}` });
  return {
    kind: "dense",
    name,
    dim: encoder.outputDim,
    embedQueries: (queries) => encoder.encodeTexts(queries.map((query) => query.text), { onProgress: report("embed queries") }),
    embedProducts: (products) => encoder.encodeProducts(products, { onProgress: report("embed products") }),
  };
}
