/** Base class of every error the project raises on purpose. `code` is stable for programs to test. */
export class MineRefineError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where in an input the problem was found. Every part is optional; the message names what is known. */
export interface InputLocation {
  file?: string;
  /** 1-based data row, the header not counted. */
  row?: number;
  column?: string;
}

/**
 * Invalid input data: a missing file, a wrong encoding, a missing column, a value of the wrong type,
 * an empty dataset, a duplicate id. The message names the place, what was expected, what arrived and
 * what to do.
 */
export class InputError extends MineRefineError {
  readonly location: InputLocation;
  constructor(code: string, location: InputLocation, problem: string, hint: string, options?: { cause?: unknown }) {
    super(code, `${formatLocation(location)}${problem}. ${hint}`, options);
    this.location = location;
  }
}

export function formatLocation(location: InputLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.file);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column !== undefined) parts.push(`column "${location.column}"`);
  return parts.length > 0 ? `${parts.join(", ")}: ` : "";
}

/** One problem in a configuration, named by its dotted path such as `stage1.batchQueries`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** An invalid configuration. It lists every problem found, not only the first. */
export class ConfigError extends MineRefineError {
  readonly issues: readonly ConfigIssue[];
  constructor(source: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path || "(root)"}: ${issue.message}`);
    super("invalid_config", `Invalid configuration in ${source} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.issues = issues;
  }
}

/** A broken invariant inside the project: a bug, not a user mistake. */
export class InternalError extends MineRefineError {
  constructor(message: string) {
    super("internal", `Internal error: ${message}`);
  }
}
