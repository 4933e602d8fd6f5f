import { stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "@mine-refine/core";
import { CHECKPOINT_WEIGHTS_FILE } from "@mine-refine/model";

/** A checkpoint to evaluate under a system name. */
export interface ModelSpec {
  name: string;
  checkpointDir: string;
}

/** Stages of a trainer run whose checkpoints are evaluated, in order. */
export const RUN_STAGES = ["stage1", "stage2"] as const;

/**
 * Resolves one `--model name=DIR` value. DIR is a checkpoint folder, recognised by its
 * `model.safetensors` because a run folder has a `config.json` too. Otherwise DIR is a trainer run
 * folder whose `stages/stage1/checkpoint` and `stages/stage2/checkpoint` become the
 * systems `name-stage1` and `name-stage2` (a missing stage2 is skipped).
 */
export async function resolveModelSpec(value: string): Promise<ModelSpec[]> {
  const eq = value.indexOf("=");
  if (eq <= 0 || eq === value.length - 1) {
    throw new InputError("invalid_model_option", { file: "--model" }, `expected NAME=DIR, received "${value}"`, "Write for example --model stage1=runs/demo/stages/stage1/checkpoint.");
  }
  const name = value.slice(0, eq);
  const dir = path.resolve(value.slice(eq + 1));
  if (!/^[\w.-]+$/.test(name)) {
    throw new InputError("invalid_model_option", { file: "--model" }, `invalid system name "${name}"`, "Use letters, digits, '.', '_' or '-'.");
  }
  if (await isFile(path.join(dir, CHECKPOINT_WEIGHTS_FILE))) return [{ name, checkpointDir: dir }];

  const specs: ModelSpec[] = [];
  for (const stage of RUN_STAGES) {
    const checkpointDir = path.join(dir, "stages", stage, "checkpoint");
    if (await isFile(path.join(checkpointDir, CHECKPOINT_WEIGHTS_FILE))) specs.push({ name: `${name}-${stage}`, checkpointDir });
  }
  if (specs.length === 0) {
    throw new InputError(
      "checkpoint_not_found",
      { file: dir },
      `no checkpoint found: neither ${CHECKPOINT_WEIGHTS_FILE} nor stages/stage1/checkpoint/${CHECKPOINT_WEIGHTS_FILE} exists`,
      "Point --model at a checkpoint folder or at a trainer run folder whose stage1 has finished.",
    );
  }
  return specs;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
