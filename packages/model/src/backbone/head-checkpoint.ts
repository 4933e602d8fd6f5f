/**
 * Backbone head checkpoints: a directory with `config.json` (the head config, the backbone
 * directory with its hash and maxLength, the text options and caller extras) and
 * `model.safetensors` (every head parameter, named as in `BackboneHead.parameters()`). The backbone
 * itself is not copied; loading checks that its directory still has the recorded hash.
 */
import { randomBytes } from "node:crypto";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { InputError } from "@mine-refine/core";
import type { MatmulBackend } from "../matmul/backend.js";
import { readSafetensors, writeSafetensors } from "../safetensors.js";
import { BackboneHead, type BackboneHeadConfig, validateBackboneHeadConfig } from "./backbone-head.js";
import type { BackboneTextOptions } from "./backbone-tower.js";

export const HEAD_CONFIG_FILE = "config.json";
export const HEAD_WEIGHTS_FILE = "model.safetensors";
const HEAD_FORMAT = "mine-refine/backbone-head";
const HEAD_VERSION = 1;

/** Which backbone a head was trained on. */
export interface BackboneReference {
  /** Absolute path of the model directory. */
  path: string;
  /** `hashModelDirectory` of that directory. */
  modelHash: string;
  maxLength: number;
}

interface HeadConfigFile {
  format: string;
  version: number;
  head: BackboneHeadConfig;
  backbone: BackboneReference;
  text: BackboneTextOptions;
  extra?: Record<string, unknown>;
}

export interface SavedBackboneHead {
  head: BackboneHead;
  backbone: BackboneReference;
  text: BackboneTextOptions;
}

/**
 * Saves a head to `dir` through a temporary sibling directory and renames, so a crash leaves the
 * previous checkpoint or the new one. An existing checkpoint at `dir` is replaced.
 */
export async function saveBackboneHead(dir: string, saved: SavedBackboneHead, extra?: Record<string, unknown>): Promise<void> {
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const temporary = join(dirname(dir), `.${basename(dir)}.tmp-${suffix}`);
  await mkdir(temporary, { recursive: true });
  try {
    const tensors = saved.head.parameters().map(({ name, shape, data }) => ({ name, shape, data }));
    await writeSafetensors(join(temporary, HEAD_WEIGHTS_FILE), tensors, { format: HEAD_FORMAT });
    const config: HeadConfigFile = { format: HEAD_FORMAT, version: HEAD_VERSION, head: saved.head.config, backbone: saved.backbone, text: saved.text, ...(extra ? { extra } : {}) };
    await writeFile(join(temporary, HEAD_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    if (await exists(dir)) {
      // NOTE: between these two renames `dir` is briefly absent; a crash there leaves the old head under a hidden .old name.
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

export interface LoadedBackboneHead extends SavedBackboneHead {
  extra: Record<string, unknown>;
}

/**
 * Loads a head saved by `saveBackboneHead` and checks every tensor against the saved config. It
 * does not load the backbone; compare `backbone.modelHash` with `hashModelDirectory` before use.
 */
export async function loadBackboneHead(dir: string, options: { matmul?: MatmulBackend } = {}): Promise<LoadedBackboneHead> {
  const configPath = join(dir, HEAD_CONFIG_FILE);
  const weightsPath = join(dir, HEAD_WEIGHTS_FILE);
  const hint = "Point to a directory written by saveBackboneHead, or train the head again.";
  let config: HeadConfigFile;
  try {
    config = JSON.parse(await readFile(configPath, "utf8")) as HeadConfigFile;
  } catch (error) {
    throw new InputError("invalid_checkpoint", { file: configPath }, `cannot read the head config (${(error as Error).message})`, hint, { cause: error });
  }
  if (config.format !== HEAD_FORMAT || config.version !== HEAD_VERSION) {
    throw new InputError(
      "invalid_checkpoint",
      { file: configPath },
      `expected format "${HEAD_FORMAT}" version ${HEAD_VERSION}, found format ${JSON.stringify(config.format)} version ${JSON.stringify(config.version)}`,
      hint,
    );
  }
  try {
    validateBackboneHeadConfig(config.head);
  } catch (error) {
    throw new InputError("invalid_checkpoint", { file: configPath, column: "head" }, (error as Error).message, hint, { cause: error });
  }
  const backbone = config.backbone as Partial<BackboneReference> | undefined;
  if (typeof backbone?.path !== "string" || typeof backbone.modelHash !== "string" || typeof backbone.maxLength !== "number") {
    throw new InputError("invalid_checkpoint", { file: configPath, column: "backbone" }, `expected { path, modelHash, maxLength }, found ${JSON.stringify(config.backbone)}`, hint);
  }

  const head = new BackboneHead(config.head, { skipInitialization: true, ...(options.matmul ? { matmul: options.matmul } : {}) });
  const { tensors } = await readSafetensors(weightsPath);
  const expected = head.parameters();
  for (const parameter of expected) {
    const tensor = tensors.get(parameter.name);
    if (tensor === undefined) throw new InputError("invalid_checkpoint", { file: weightsPath }, `tensor "${parameter.name}" is missing`, hint);
    if (tensor.shape.join(",") !== parameter.shape.join(",")) {
      throw new InputError(
        "invalid_checkpoint",
        { file: weightsPath },
        `tensor "${parameter.name}" has shape [${tensor.shape.join(", ")}] but ${HEAD_CONFIG_FILE} implies [${parameter.shape.join(", ")}]`,
        "Save the head again, or restore the config.json that was written with these weights.",
      );
    }
    parameter.data.set(tensor.data);
  }
  const known = new Set(expected.map((parameter) => parameter.name));
  const unexpected = [...tensors.keys()].filter((name) => !known.has(name));
  if (unexpected.length > 0) {
    throw new InputError("invalid_checkpoint", { file: weightsPath }, `unexpected tensors ${unexpected.map((name) => `"${name}"`).join(", ")} not described by ${HEAD_CONFIG_FILE}`, hint);
  }
  return { head, backbone: config.backbone, text: config.text ?? {}, extra: config.extra ?? {} };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
