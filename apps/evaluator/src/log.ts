import type { LogLevel, Logger, ProgressCallback } from "@mine-refine/core";

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one human-readable line per record to stderr at `minLevel` and above. */
export function createStderrLogger(minLevel: LogLevel = "info"): Logger {
  return {
    log(level, message, fields) {
      if (LEVEL_ORDER[level] < LEVEL_ORDER[minLevel]) return;
      const time = new Date().toISOString().slice(11, 19);
      const prefix = level === "info" ? "" : `${level.toUpperCase()} `;
      const extra = fields === undefined ? "" : ` ${JSON.stringify(fields)}`;
      process.stderr.write(`${time} ${prefix}${message}${extra}\n`);
    },
  };
}

/** Logs a progress line when a task starts, at every further 25% and when it ends. */
export function createProgressLogger(logger: Logger): ProgressCallback {
  const lastQuarter = new Map<string, number>();
  return (event) => {
    const total = event.total ?? 0;
    const quarter = total > 0 ? Math.floor((4 * event.done) / total) : 0;
    if (lastQuarter.get(event.task) === quarter) return;
    lastQuarter.set(event.task, quarter);
    logger.log("info", `${event.task}: ${event.done}/${total || "?"}`);
  };
}
