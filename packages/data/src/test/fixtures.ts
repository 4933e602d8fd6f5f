import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "vitest";

/** A temporary directory for one test file's fixtures. `remove` deletes it with its contents. */
export interface TempDir {
  path: string;
  /** Writes a file into the directory and returns its full path. */
  write(name: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `mine-refine-${prefix}-`));
  return {
    path,
    async write(name, content) {
      const file = join(path, name);
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** The folder of the public data sets, or undefined when MINE_REFINE_DATA_DIR is not set. */
export const dataDir: string | undefined = process.env.MINE_REFINE_DATA_DIR || undefined;

/**
 * Declares a test that reads the public data sets. Without MINE_REFINE_DATA_DIR the test is skipped,
 * and its title names the variable to set.
 */
export function itWithData(name: string, run: (dataDir: string) => Promise<void>, timeoutMs?: number): void {
  if (dataDir === undefined) {
    it.skip(`${name} (skipped: set MINE_REFINE_DATA_DIR to the folder that contains homedepot-kaggle/ and esci-us-vespa-sample/)`, () => {});
    return;
  }
  const folder = dataDir;
  it(name, () => run(folder), timeoutMs);
}
