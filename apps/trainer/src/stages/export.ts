import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { MineRefineError } from "@mine-refine/core";
import { type EmbeddingModel, exportEncoderToOnnx, loadCheckpoint, type MatmulBackend } from "@mine-refine/model";
import { OnnxEncoder, OrtMatmul } from "@mine-refine/model/ort";
import type { TrainConfig } from "../config/schema.js";
import { writeAtomic } from "../run/run-directory.js";
import type { StageContext } from "./stage.js";
import { loadBackboneModel } from "./backbone.js";

/** Stages whose folder contains a `checkpoint/` that the export stage converts, in run order. */
export const TRAINED_STAGES = ["stage1", "stage2"] as const;
export type TrainedStage = (typeof TRAINED_STAGES)[number];

/** Max abs difference between the TypeScript forward and the exported model that the export stage accepts. */
export const EXPORT_PARITY_TOLERANCE = 1e-5;

export const EXPORTED_MODEL_FILE = "model.onnx";

/** Path of the ONNX model that the export stage wrote for a trained stage. */
export function exportedModelPath(context: StageContext, stage: TrainedStage): string {
  return path.join(context.run.stageDir("export"), stage, EXPORTED_MODEL_FILE);
}

export interface ExportRecord {
  stage: TrainedStage;
  file: string;
  bytes: number;
  exportSeconds: number;
  /** Products and query texts compared between the two forwards. */
  parityProducts: number;
  parityQueries: number;
  maxAbsDifference: number;
}

/**
 * Export stage: writes `<stage>/model.onnx` for the checkpoint of every finished training stage, then
 * loads each model back into ONNX Runtime, compares it with the TypeScript forward on a sample of
 * products and query texts, and writes `export.json`. A difference above 1e-5 fails the stage,
 * because a served model would then rank differently from the evaluated one.
 */
export async function runExportStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const prepared = await context.data();
  const sampleSize = config.export.paritySample;
  const products = prepared.dataset.products.slice(0, sampleSize);
  const texts = prepared.dataset.queries.slice(0, sampleSize).map((query) => query.text);
  const records: ExportRecord[] = [];

  const matmul = new OrtMatmul({ intraOpNumThreads: config.threads });
  try {
    for (const stage of TRAINED_STAGES) {
      if (!context.run.isComplete(stage)) continue;
      const { encoder, extra } = await loadCheckpoint(path.join(context.run.stageDir(stage), "checkpoint"), { matmul });
      const file = path.join(dir, stage, EXPORTED_MODEL_FILE);
      await mkdir(path.dirname(file), { recursive: true });
      const startMs = performance.now();
      await exportEncoderToOnnx(encoder, file, { metadata: { run: config.name, stage, steps: String(extra.steps ?? "") } });
      const exportSeconds = (performance.now() - startMs) / 1000;

      const onnx = await OnnxEncoder.load(file, { intraOpNumThreads: config.threads });
      let maxAbsDifference: number;
      try {
        maxAbsDifference = Math.max(
          maxDifference(await encoder.encodeProducts(products), await onnx.encodeProducts(products)),
          maxDifference(await encoder.encodeTexts(texts), await onnx.encodeTexts(texts)),
        );
      } finally {
        await onnx.dispose();
      }
      const { size } = await stat(file);
      const record: ExportRecord = { stage, file: path.relative(dir, file), bytes: size, exportSeconds, parityProducts: products.length, parityQueries: texts.length, maxAbsDifference };
      records.push(record);
      logger.log("info", `export: ${stage}`, { ...record });
      if (!(maxAbsDifference <= EXPORT_PARITY_TOLERANCE)) {
        throw new MineRefineError(
          "export_parity_failed",
          `The exported ${stage} model differs from the TypeScript forward by ${maxAbsDifference} (max abs), above ${EXPORT_PARITY_TOLERANCE}. The ONNX graph does not match the encoder; report this with the run's config.`,
        );
      }
    }
  } finally {
    await matmul.dispose();
  }
  await writeAtomic(path.join(dir, "export.json"), `${JSON.stringify(records, null, 1)}\n`);
}

/**
 * Loads a trained stage's model for embedding: the exported ONNX model when `export.embedWith` is
 * "onnx" and the export stage has finished, otherwise the checkpoint with `matmul`. Call `dispose`
 * when done, which releases an ONNX Runtime session but leaves `matmul` to its owner.
 */
export async function loadTrainedModel(
  context: StageContext,
  stage: TrainedStage,
  matmul: MatmulBackend,
): Promise<{ model: EmbeddingModel; dispose(): Promise<void> }> {
  if (context.config.model.backbone !== undefined) return loadBackboneModel(context, stage, matmul);
  if (embedsWithOnnx(context.config) && context.run.isComplete("export")) {
    const onnx = await OnnxEncoder.load(exportedModelPath(context, stage), { intraOpNumThreads: context.config.threads });
    return { model: onnx, dispose: () => onnx.dispose() };
  }
  const { encoder } = await loadCheckpoint(path.join(context.run.stageDir(stage), "checkpoint"), { matmul });
  return { model: encoder, dispose: async () => {} };
}

function embedsWithOnnx(config: TrainConfig): boolean {
  return config.export.enabled && config.export.embedWith === "onnx";
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
