import path from "node:path";
import { Rng } from "@mine-refine/core";
import { ProductVectorTable } from "@mine-refine/mining/lancedb";
import { loadCheckpoint, type TwoTowerEncoder } from "@mine-refine/model";
import { OrtMatmul } from "@mine-refine/model/ort";
import { writeAtomic } from "../run/run-directory.js";
import type { StageContext } from "./stage.js";

export const VECTOR_TABLE = "products";

/** Loads the Stage 1 checkpoint of the run with an ONNX Runtime matmul; the caller disposes `matmul`. */
export async function loadStage1Encoder(context: StageContext): Promise<{ encoder: TwoTowerEncoder; matmul: OrtMatmul }> {
  const matmul = new OrtMatmul({ intraOpNumThreads: context.config.threads });
  const { encoder } = await loadCheckpoint(path.join(context.run.stageDir("stage1"), "checkpoint"), { matmul });
  return { encoder, matmul };
}

/**
 * Embeds the whole catalog with the Stage 1 model into a LanceDB table (cosine metric), builds the
 * ANN index above the configured size, and measures its recall against exact search on a sample
 * of training queries.
 */
export async function runIndexStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const settings = config.stage2.index;
  const prepared = await context.data();
  const { dataset, split } = prepared;
  const { encoder, matmul } = await loadStage1Encoder(context);
  try {
    let started = performance.now();
    const vectors = await encoder.encodeProducts(dataset.products, {
      onProgress: (event) => context.progress({ task: "index: embed products", done: event.done, total: event.total }),
    });
    const embedSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const table = await ProductVectorTable.create(
      dir,
      VECTOR_TABLE,
      dataset.products.map((product) => product.id),
      vectors,
      encoder.outputDim,
      { progress: context.progress },
    );
    const kind = await table.buildIndex({
      kind: settings.kind,
      minRowsForIndex: settings.minRowsForIndex,
      numPartitions: settings.numPartitions,
      numSubVectors: settings.numSubVectors,
    });
    const indexSeconds = (performance.now() - started) / 1000;

    const sampleIds = new Rng(config.seed).shuffle([...split.train]).slice(0, settings.recallSample);
    const queryVectors = await encoder.encodeTexts(sampleIds.map((id) => prepared.query(id).text));
    const recall = await table.measureRecall(queryVectors, config.stage2.mining.k, {
      sample: settings.recallSample,
      seed: config.seed,
      nprobes: settings.nprobes,
      refineFactor: settings.refineFactor,
    });
    const report = {
      products: dataset.products.length,
      dim: encoder.outputDim,
      index: kind,
      embedSeconds,
      productsPerSecond: dataset.products.length / embedSeconds,
      indexSeconds,
      recall: { k: config.stage2.mining.k, ...recall },
    };
    await writeAtomic(path.join(dir, "index.json"), `${JSON.stringify(report, null, 2)}\n`);
    logger.log("info", "index: built", {
      products: report.products,
      index: kind,
      [`recall@${config.stage2.mining.k}`]: recall.recall,
      annQueriesPerSecond: Math.round(recall.annQueriesPerSecond),
      exactQueriesPerSecond: Math.round(recall.exactQueriesPerSecond),
    });
  } finally {
    await matmul.dispose();
  }
}
