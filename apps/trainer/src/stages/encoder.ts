import type { Dataset, Product } from "@mine-refine/core";
import type { DenseSystem } from "@mine-refine/evaluation";
import { type EmbeddingModel, type EncoderConfig, type MatmulBackend, TwoTowerEncoder } from "@mine-refine/model";
import type { TrainConfig } from "../config/schema.js";

/** Returns the encoder architecture of a run config. */
export function encoderConfigOf(config: TrainConfig): EncoderConfig {
  const model = config.model;
  return {
    featurizer: {
      buckets: model.buckets,
      seed: config.seed,
      wordNgrams: model.wordNgrams,
      charNgrams: { latin: model.charNgramsLatin, cjk: model.charNgramsCjk },
      productFields: model.productFields,
    },
    embeddingDim: model.embeddingDim,
    hiddenDims: model.hiddenDims,
    outputDim: model.outputDim,
    pooling: model.pooling,
    activation: model.activation,
  };
}

/** Creates a randomly initialised encoder for the run (the untrained baseline and Stage 1's start). */
export function createEncoder(config: TrainConfig, matmul: MatmulBackend): TwoTowerEncoder {
  return new TwoTowerEncoder(encoderConfigOf(config), { matmul, seed: config.seed });
}

/** Wraps an encoder, the TypeScript tower or its exported ONNX model, as a dense retrieval system for evaluation. */
export function encoderSystem(name: string, encoder: EmbeddingModel, onProgress?: (task: string, done: number, total: number) => void): DenseSystem {
  return {
    kind: "dense",
    name,
    dim: encoder.outputDim,
    embedQueries: (queries) =>
      encoder.encodeTexts(
        queries.map((query) => query.text),
        { onProgress: (event) => onProgress?.(`${name}: embed queries`, event.done, event.total ?? queries.length) },
      ),
    embedProducts: (products: Product[]) =>
      encoder.encodeProducts(products, {
        onProgress: (event) => onProgress?.(`${name}: embed products`, event.done, event.total ?? products.length),
      }),
  };
}

/** Query texts by id. */
export function queryTextIndex(dataset: Dataset): Map<string, string> {
  return new Map(dataset.queries.map((query) => [query.id, query.text]));
}
