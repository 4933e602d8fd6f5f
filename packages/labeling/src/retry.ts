/** Waits `ms` milliseconds, or rejects with the signal's reason when it aborts first. */
export type Sleeper = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleeper = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * Parses an HTTP `Retry-After` header value into milliseconds from `nowMs`. It accepts either
 * delay-seconds ("2") or an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT"), as RFC 9110 section 10.2.3
 * allows. A date in the past gives 0. Returns undefined for a missing or unreadable value.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+$/u.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

/**
 * Returns the delay before retry number `attempt` (0 for the first retry) with exponential backoff and
 * full jitter: a uniform draw from [0, min(maxDelayMs, baseDelayMs * 2^attempt)). Full jitter spreads
 * clients that failed together, so they do not retry in lockstep.
 */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
