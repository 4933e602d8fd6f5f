/**
 * Export of a trained tower as one self-contained ONNX model: the weights are initializers, and the
 * encoder config (featurizer included) is stored in ModelProto.metadata_props under
 * `ENCODER_CONFIG_METADATA_KEY`, so the `.onnx` file alone is enough to featurize and encode.
 */
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { EncoderConfig, TwoTowerEncoder } from "../encoder.js";
import { encodeOnnxModel } from "../onnx/model-proto.js";
import { buildEncoderOnnxModel } from "./encoder-graph.js";

/** metadata_props key of the format name, whose value is `ENCODER_ONNX_FORMAT`. */
export const FORMAT_METADATA_KEY = "mine_refine.format";
/** metadata_props key of the format version. */
export const FORMAT_VERSION_METADATA_KEY = "mine_refine.format_version";
/** metadata_props key of the JSON `EncoderConfig` (featurizer settings, widths, pooling, activation). */
export const ENCODER_CONFIG_METADATA_KEY = "mine_refine.encoder_config";
export const ENCODER_ONNX_FORMAT = "mine-refine/two-tower-encoder-onnx";
export const ENCODER_ONNX_FORMAT_VERSION = 1;

export interface ExportOnnxOptions {
  /**
   * Extra metadata_props entries, such as the run or the training step. Keys starting with
   * "mine_refine." are reserved for the exporter and raise a RangeError.
   */
  metadata?: Readonly<Record<string, string>>;
}

/** Returns the metadata_props entries that `OnnxEncoder` reads back. */
export function encoderMetadata(config: EncoderConfig, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  for (const key of Object.keys(extra)) {
    if (key.startsWith("mine_refine.")) throw new RangeError(`exportEncoderToOnnx: metadata key "${key}" is reserved for the exporter. Choose a key without the "mine_refine." prefix.`);
  }
  return {
    ...extra,
    [FORMAT_METADATA_KEY]: ENCODER_ONNX_FORMAT,
    [FORMAT_VERSION_METADATA_KEY]: String(ENCODER_ONNX_FORMAT_VERSION),
    [ENCODER_CONFIG_METADATA_KEY]: JSON.stringify(config),
  };
}

/** Encodes the tower as ONNX ModelProto bytes (see `encoder-graph.ts` for the graph). */
export function encodeEncoderOnnx(encoder: TwoTowerEncoder, options: ExportOnnxOptions = {}): Uint8Array {
  return encodeOnnxModel(buildEncoderOnnxModel(encoder, encoderMetadata(encoder.config, options.metadata)));
}

/**
 * Writes the tower to `path` as one ONNX model. The bytes go to a temporary sibling file that is
 * renamed into place, so a crash never leaves a half-written model under `path`.
 */
// NOTE: ProtoWriter copies the embedding table once per enclosing message (tensor, graph, model), so
// export needs an estimated three to four times the table size in extra memory.
export async function exportEncoderToOnnx(encoder: TwoTowerEncoder, path: string, options: ExportOnnxOptions = {}): Promise<void> {
  const bytes = encodeEncoderOnnx(encoder, options);
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
