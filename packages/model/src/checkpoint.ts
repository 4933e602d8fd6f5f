/**
 * Encoder checkpoints: a directory with `config.json` (the encoder config and caller extras) and
 * `model.safetensors` (every parameter, named as in `TwoTowerEncoder.parameters()`).
 */
import { randomBytes } from "node:crypto";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InputError } from "@mine-refine/core";
import { type EncoderConfig, TwoTowerEncoder, validateEncoderConfig } from "./encoder.js";
import type { MatmulBackend } from "./matmul/backend.js";
import { readSafetensors, writeSafetensors } from "./safetensors.js";

export const CHECKPOINT_CONFIG_FILE = "config.json";
export const CHECKPOINT_WEIGHTS_FILE = "model.safetensors";
const CHECKPOINT_FORMAT = "mine-refine/two-tower-encoder";
const CHECKPOINT_VERSION = 1;

interface CheckpointConfigFile {
  format: string;
  version: number;
  encoder: EncoderConfig;
  extra?: Record<string, unknown>;
}

/**
 * Saves an encoder to `dir`. Files are written into a temporary sibling directory, flushed, and
 * renamed into place, so a crash leaves either the previous checkpoint or the new one, never a mix.
 * An existing checkpoint at `dir` is replaced.
 */
export async function saveCheckpoint(dir: string, encoder: TwoTowerEncoder, extra?: Record<string, unknown>): Promise<void> {
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const temporary = join(dirname(dir), `.${basename(dir)}.tmp-${suffix}`);
  await mkdir(temporary, { recursive: true });
  try {
    const parameters = encoder.parameters();
    await writeSafetensors(
      join(temporary, CHECKPOINT_WEIGHTS_FILE),
      parameters.map(({ name, shape, data }) => ({ name, shape, data })),
      { format: CHECKPOINT_FORMAT },
    );
    const config: CheckpointConfigFile = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, encoder: encoder.config, ...(extra ? { extra } : {}) };
    await writeFile(join(temporary, CHECKPOINT_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    if (await exists(dir)) {
      // NOTE: between these two renames `dir` is briefly absent. A crash there leaves the previous
      // checkpoint under the hidden .old name, which loadCheckpoint does not look for.
      const old = join(dirname(dir), `.${basename(dir)}.old-${suffix}`);
      await rename(dir, old);
      await rename(temporary, dir);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temporary, dir);
    }
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

export interface LoadedCheckpoint {
  encoder: TwoTowerEncoder;
  extra: Record<string, unknown>;
}

/**
 * Loads an encoder saved by `saveCheckpoint` and checks every tensor's shape against the saved
 * config. A mismatched, missing or unexpected tensor raises an InputError naming the file and tensor.
 */
export async function loadCheckpoint(dir: string, options: { matmul?: MatmulBackend } = {}): Promise<LoadedCheckpoint> {
  const configPath = join(dir, CHECKPOINT_CONFIG_FILE);
  const weightsPath = join(dir, CHECKPOINT_WEIGHTS_FILE);
  const hint = "Point to a directory written by saveCheckpoint, or save the checkpoint again.";

  let text: string;
  try {
    text = await readFile(configPath, "utf8");
  } catch (error) {
    throw new InputError("checkpoint_not_found", { file: configPath }, `cannot read the checkpoint config (${(error as Error).message})`, hint, { cause: error });
  }
  let config: CheckpointConfigFile;
  try {
    config = JSON.parse(text) as CheckpointConfigFile;
  } catch (error) {
    throw new InputError("invalid_checkpoint", { file: configPath }, `invalid JSON (${(error as Error).message})`, hint, { cause: error });
  }
  if (config.format !== CHECKPOINT_FORMAT || config.version !== CHECKPOINT_VERSION) {
    throw new InputError(
      "invalid_checkpoint",
      { file: configPath },
      `expected format "${CHECKPOINT_FORMAT}" version ${CHECKPOINT_VERSION}, found format ${JSON.stringify(config.format)} version ${JSON.stringify(config.version)}`,
      hint,
    );
  }
  try {
    validateEncoderConfig(config.encoder);
  } catch (error) {
    throw new InputError("invalid_checkpoint", { file: configPath, column: "encoder" }, (error as Error).message, hint, { cause: error });
  }

  const encoder = new TwoTowerEncoder(config.encoder, { skipInitialization: true, ...(options.matmul ? { matmul: options.matmul } : {}) });
  const { tensors } = await readSafetensors(weightsPath);
  const expected = encoder.parameters();
  for (const parameter of expected) {
    const tensor = tensors.get(parameter.name);
    if (tensor === undefined) {
      throw new InputError("invalid_checkpoint", { file: weightsPath }, `tensor "${parameter.name}" is missing`, hint);
    }
    if (tensor.shape.join(",") !== parameter.shape.join(",")) {
      throw new InputError(
        "invalid_checkpoint",
        { file: weightsPath },
        `tensor "${parameter.name}" has shape [${tensor.shape.join(", ")}] but ${CHECKPOINT_CONFIG_FILE} implies [${parameter.shape.join(", ")}]`,
        "Save the checkpoint again, or restore the config.json that was written with these weights.",
      );
    }
    parameter.data.set(tensor.data);
  }
  const known = new Set(expected.map((parameter) => parameter.name));
  const unexpected = [...tensors.keys()].filter((name) => !known.has(name));
  if (unexpected.length > 0) {
    throw new InputError("invalid_checkpoint", { file: weightsPath }, `unexpected tensors ${unexpected.map((name) => `"${name}"`).join(", ")} not described by ${CHECKPOINT_CONFIG_FILE}`, hint);
  }
  return { encoder, extra: config.extra ?? {} };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
