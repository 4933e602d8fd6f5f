export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * The one-method logger that packages report through. Packages never print: an app passes a logger
 * that renders the records (pino in the CLIs). The default logger drops everything.
 */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { log() {} };

/** Progress of a long loop, reported by packages and rendered by apps as a progress bar. */
export interface ProgressEvent {
  task: string;
  done: number;
  /** Undefined when the total is not known in advance. */
  total?: number;
}

export type ProgressCallback = (event: ProgressEvent) => void;

export const noProgress: ProgressCallback = () => {};
