import path from "node:path";
import type { LogLevel, Logger, ProgressCallback, ProgressEvent } from "@mine-refine/core";
import { SingleBar } from "cli-progress";
import pino from "pino";

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface CliLogger extends Logger {
  /** Sends further records also to `<runDir>/logs/<name>.log` as JSON lines (pino). */
  attachFile(file: string): void;
  flush(): Promise<void>;
}

/**
 * Creates the app's logger: compact human-readable lines on stderr at `consoleLevel` and above, and,
 * once a run folder exists, every record as JSON lines in its log file.
 */
export function createCliLogger(consoleLevel: LogLevel = "info"): CliLogger {
  let fileLogger: pino.Logger | undefined;
  return {
    log(level, message, fields) {
      fileLogger?.[level](fields ?? {}, message);
      if (LEVEL_ORDER[level] < LEVEL_ORDER[consoleLevel]) return;
      const time = new Date().toISOString().slice(11, 19);
      const extra = fields === undefined ? "" : ` ${formatFields(fields)}`;
      const prefix = level === "info" ? "" : `${level.toUpperCase()} `;
      process.stderr.write(`${time} ${prefix}${message}${extra}\n`);
    },
    attachFile(file) {
      fileLogger = pino({ level: "debug" }, pino.destination({ dest: path.resolve(file), mkdir: true, sync: true }));
    },
    async flush() {
      fileLogger?.flush();
    },
  };
}

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === "number" ? formatNumber(value) : JSON.stringify(value)}`)
    .join(" ");
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(3);
  return value.toFixed(4);
}

/**
 * Renders progress events as a bar on a terminal, or as a line every 10% when stderr is not a
 * terminal (CI logs, turbo), so long loops show life without flooding logs.
 */
export function createProgressRenderer(): ProgressCallback & { stop(): void } {
  const interactive = process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  let current = "";
  let lastDecile = -1;

  const stop = (): void => {
    bar?.stop();
    bar = undefined;
    current = "";
  };

  const render = (event: ProgressEvent): void => {
    if (event.task !== current) {
      stop();
      current = event.task;
      lastDecile = -1;
      if (interactive && event.total !== undefined) {
        bar = new SingleBar({ format: `${event.task} [{bar}] {percentage}% {value}/{total} eta {eta}s`, stream: process.stderr });
        bar.start(event.total, event.done);
      }
    }
    if (bar !== undefined) {
      bar.update(event.done);
      if (event.total !== undefined && event.done >= event.total) stop();
      return;
    }
    if (event.total !== undefined && event.total > 0) {
      const decile = Math.floor((10 * event.done) / event.total);
      if (decile > lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${event.task}: ${event.done}/${event.total}\n`);
      }
    }
  };
  return Object.assign(render, { stop });
}
