import { DrizzleQueryError } from "drizzle-orm/errors";

/** The server's error fields that the store reads. */
interface ServerError {
  /** SQLSTATE such as 23503 (foreign key violation). */
  code?: string;
  message: string;
  detail?: string;
}

/**
 * Unwraps the server error from a drizzle query error. drizzle's own message lists every bind
 * parameter, which for a batch insert is thousands of values, so messages quote this instead.
 */
export function serverError(error: unknown): ServerError | undefined {
  const inner = error instanceof DrizzleQueryError ? error.cause : error;
  if (inner instanceof Error) {
    const fields = inner as Error & { code?: unknown; detail?: unknown };
    return {
      code: typeof fields.code === "string" ? fields.code : undefined,
      message: inner.message,
      detail: typeof fields.detail === "string" ? fields.detail : undefined,
    };
  }
  return undefined;
}

/** Describes a failed query in one line, without its parameters. */
export function describeServerError(error: unknown): string {
  const server = serverError(error);
  if (server === undefined) return String(error);
  return server.detail === undefined ? server.message : `${server.message} (${server.detail})`;
}

export const FOREIGN_KEY_VIOLATION = "23503";
export const CHECK_VIOLATION = "23514";
