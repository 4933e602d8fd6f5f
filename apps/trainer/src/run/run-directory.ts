import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { MineRefineError } from "@mine-refine/core";

/**
 * A run is a folder: `config.json` (the resolved config), `stages/<name>/` with each finished stage's
 * artifacts, `metrics.json` and `logs/`. A stage writes into `stages/<name>.partial/` and renames it
 * when it is complete, so a folder under its final name is always whole and a killed run resumes at
 * the first stage whose folder is missing.
 */
export class RunDirectory {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /**
   * Opens or creates the run folder. A folder made with a different config is rejected, because
   * resuming it would mix artifacts of two configs.
   */
  static async open(root: string, config: unknown, options: { restart?: boolean } = {}): Promise<RunDirectory> {
    const run = new RunDirectory(root);
    const configFile = path.join(root, "config.json");
    const text = `${JSON.stringify(config, null, 2)}\n`;
    if (options.restart === true) await rm(root, { recursive: true, force: true });
    if (existsSync(configFile)) {
      const saved = await readFile(configFile, "utf8");
      if (hash(saved) !== hash(text)) {
        throw new MineRefineError(
          "run_config_changed",
          `The run folder ${root} was created with a different configuration (see its config.json). ` +
            "Choose another runDir, or pass --restart to delete that run and start over.",
        );
      }
    } else {
      await mkdir(root, { recursive: true });
      await writeAtomic(configFile, text);
    }
    await mkdir(path.join(root, "stages"), { recursive: true });
    await mkdir(path.join(root, "logs"), { recursive: true });
    await run.removePartialStages();
    return run;
  }

  stageDir(stage: string): string {
    return path.join(this.root, "stages", stage);
  }

  isComplete(stage: string): boolean {
    return existsSync(this.stageDir(stage));
  }

  /** Runs `work` in a fresh partial folder and publishes it under the stage's name when `work` returns. */
  async runStage(stage: string, work: (dir: string) => Promise<void>): Promise<void> {
    const partial = `${this.stageDir(stage)}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    await work(partial);
    await rename(partial, this.stageDir(stage));
  }

  async writeJson(relativePath: string, value: unknown): Promise<void> {
    await writeAtomic(path.join(this.root, relativePath), `${JSON.stringify(value, null, 2)}\n`);
  }

  private async removePartialStages(): Promise<void> {
    const entries = await readdir(path.join(this.root, "stages"));
    for (const entry of entries) {
      if (entry.endsWith(".partial")) await rm(path.join(this.root, "stages", entry), { recursive: true, force: true });
    }
  }
}

/** Writes a file through a temporary name and a rename, so readers never see half of it. */
export async function writeAtomic(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, "utf8")) as T;
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
