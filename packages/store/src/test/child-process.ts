import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD_SCRIPT = fileURLToPath(new URL("../../scripts/import-child.mjs", import.meta.url));
const BUILT_ENTRY = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

/** One JSON line that scripts/import-child.mjs printed. */
export interface ChildEvent {
  event: "batch" | "done" | "error";
  done?: number;
  code?: string;
  message?: string;
  counts?: Record<string, { inserted: number; skipped: number }>;
}

export interface RunningChild {
  process: ChildProcess;
  /** Resolves with the exit code (null when killed) and every event printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; events: ChildEvent[]; stderr: string }>;
}

/**
 * Starts scripts/import-child.mjs, which runs the built package. `onEvent` receives each event as it
 * arrives, so a test can kill the child at a chosen point.
 */
export function startChild(args: string[], env: Record<string, string>, onEvent?: (event: ChildEvent, child: ChildProcess) => void): RunningChild {
  if (!existsSync(BUILT_ENTRY)) {
    throw new Error(`${BUILT_ENTRY} is missing. Run pnpm --filter @mine-refine/store build before these tests.`);
  }
  const child = spawn(process.execPath, [CHILD_SCRIPT, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: ChildEvent[] = [];
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    let newline = stdout.indexOf("\n");
    while (newline >= 0) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      const event = JSON.parse(line) as ChildEvent;
      events.push(event);
      onEvent?.(event, child);
      newline = stdout.indexOf("\n");
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; events: ChildEvent[]; stderr: string }>(
    (resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, events, stderr }));
    },
  );
  return { process: child, exited };
}
