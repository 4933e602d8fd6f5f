import { ConfigError, type ConfigIssue, type Logger, silentLogger } from "@mine-refine/core";
import { buildChatRequest, requestCacheKey, type ResponseFormatMode } from "./chat-request.js";
import { parseChatResponse, readUsage } from "./chat-response.js";
import { mapWithConcurrency } from "./concurrency.js";
import { GUIDELINE_VERSION } from "./guideline.js";
import type { GradeOptions, Judge, JudgePair, JudgeResult } from "./judge.js";
import type { CachedResponse, JudgeCache, TokenUsage } from "./judge-cache.js";
import { backoffDelayMs, parseRetryAfterMs, realSleep, type Sleeper } from "./retry.js";

/** Prices in US dollars per million tokens. */
export interface TokenPricing {
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface OpenAiCompatibleJudgeOptions {
  /** API root that ends before `/chat/completions`, such as `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  model: string;
  /** Name of the environment variable that contains the API key. Leave it out for local servers that need no key. */
  apiKeyEnv?: string;
  /** Maximum number of requests in flight. Default 4. */
  concurrency?: number;
  /** Time limit of one HTTP request, including reading the body, in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx, network errors and timeouts. Default 4. */
  maxRetries?: number;
  cache?: JudgeCache;
  pricing?: TokenPricing;
  logger?: Logger;
  /** Judge id recorded with every result. Default `openai-compatible:<model>`. */
  id?: string;
  /** Default `json_schema`. */
  responseFormat?: ResponseFormatMode;
  /** Ask the server for token logprobs, the source of the confidence. Default true. */
  logprobs?: boolean;
  /**
   * Confidence reported when the response carries no usable logprobs. Default 0.9.
   * NOTE: 0.9 is a guess, not a calibrated value; a cascade compares it against its `minConfidence`.
   */
  confidenceWithoutLogprobs?: number;
  /** Upper bound on completion tokens per request. Default 100, enough for the grade and a one-sentence reason. */
  maxTokens?: number;
  /** First backoff ceiling in milliseconds; it doubles on each retry. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in milliseconds. Default 30 000. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this (milliseconds) ends the retries for that pair. Default 120 000. */
  maxRetryAfterMs?: number;
  /** Waits between retries; tests inject a recorder that returns at once. */
  sleep?: Sleeper;
  /** Current time in milliseconds since the epoch, used to read HTTP-date `Retry-After` values. */
  now?: () => number;
  /**
   * Uniform draws in [0, 1) for the jitter. Defaults to `Math.random` rather than a seeded `Rng`,
   * because processes with equal seeds would retry in lockstep. Jitter never changes a grade.
   */
  random?: () => number;
}

/** Token and cost totals since the judge was created. */
export interface JudgeUsage {
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
  /** Pairs answered from the cache without a request. */
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
  /** Cost in US dollars of the tokens above; undefined without `pricing`. */
  costUsd: number | undefined;
}

type Attempt =
  | { kind: "ok"; body: unknown }
  | { kind: "retry"; code: string; message: string; retryAfterMs: number | undefined }
  | { kind: "fail"; code: string; message: string };

type Fetched = { ok: true; response: CachedResponse } | { ok: false; code: string; message: string };

/** Text that replaces the API key wherever a server echoes it back. */
const REDACTED = "[redacted]";
const MAX_BODY_EXCERPT_CHARS = 300;

/**
 * A judge that asks a chat-completions server (OpenAI, vLLM, llama.cpp server, Ollama) for a grade
 * under the guideline, one request per pair at temperature 0. Requests are limited to `concurrency`
 * in flight, retried with exponential backoff and full jitter (honouring `Retry-After`), and
 * answered from `cache` when the same request body was answered before. Malformed replies and
 * requests that fail after all retries come back as results with an error code. Only an abort
 * through `options.signal` rejects `grade`.
 */
export class OpenAiCompatibleJudge implements Judge {
  readonly id: string;
  readonly guidelineVersion = GUIDELINE_VERSION;
  private readonly url: string;
  private readonly settings: Required<Omit<OpenAiCompatibleJudgeOptions, "apiKeyEnv" | "cache" | "pricing" | "id">>;
  private readonly cache: JudgeCache | undefined;
  private readonly pricing: TokenPricing | undefined;
  readonly #apiKey: string | undefined;
  private readonly inFlight = new Map<string, Promise<Fetched>>();
  private readonly totals = { requests: 0, retries: 0, cacheHits: 0, promptTokens: 0, completionTokens: 0 };

  constructor(options: OpenAiCompatibleJudgeOptions) {
    const issues = validateOptions(options);
    if (issues.length > 0) throw new ConfigError("OpenAiCompatibleJudge options", issues);
    this.#apiKey = options.apiKeyEnv === undefined ? undefined : process.env[options.apiKeyEnv];
    this.url = `${options.baseUrl.replace(/\/+$/u, "")}/chat/completions`;
    this.id = options.id ?? `openai-compatible:${options.model}`;
    this.cache = options.cache;
    this.pricing = options.pricing;
    this.settings = {
      baseUrl: options.baseUrl,
      model: options.model,
      concurrency: options.concurrency ?? 4,
      timeoutMs: options.timeoutMs ?? 60_000,
      maxRetries: options.maxRetries ?? 4,
      logger: options.logger ?? silentLogger,
      responseFormat: options.responseFormat ?? "json_schema",
      logprobs: options.logprobs ?? true,
      confidenceWithoutLogprobs: options.confidenceWithoutLogprobs ?? 0.9,
      maxTokens: options.maxTokens ?? 100,
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
      sleep: options.sleep ?? realSleep,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    };
  }

  /** Returns the token and cost totals of every request this judge has sent. */
  usage(): JudgeUsage {
    const { promptTokens, completionTokens } = this.totals;
    const costUsd =
      this.pricing === undefined
        ? undefined
        : (promptTokens * this.pricing.inputPerMillion + completionTokens * this.pricing.outputPerMillion) / 1_000_000;
    return { ...this.totals, costUsd };
  }

  async grade(pairs: JudgePair[], options: GradeOptions = {}): Promise<JudgeResult[]> {
    const { signal, progress } = options;
    signal?.throwIfAborted();
    const { logger } = this.settings;
    logger.log("info", "Judging pairs", { judgeId: this.id, pairs: pairs.length });
    let done = 0;
    const results = await mapWithConcurrency(pairs, this.settings.concurrency, async (pair) => {
      const result = await this.gradeOne(pair, signal);
      done++;
      progress?.({ task: "judge", done, total: pairs.length });
      return result;
    });
    const failed = results.filter((result) => "error" in result).length;
    logger.log("info", "Judged pairs", { judgeId: this.id, pairs: pairs.length, failed, ...this.usage() });
    return results;
  }

  private async gradeOne(pair: JudgePair, signal: AbortSignal | undefined): Promise<JudgeResult> {
    const body = buildChatRequest(pair, this.settings);
    const key = requestCacheKey(body);
    // Equal requests in one batch share one HTTP call, so duplicates are not paid twice either.
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = this.fetchResponse(key, body, pair, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const fetched = await pending;
    const ids = { queryId: pair.queryId, productId: pair.productId };

    if (!fetched.ok) return this.failure(pair, fetched.code, fetched.message);
    const parsed = parseChatResponse(fetched.response.body, this.settings.confidenceWithoutLogprobs);
    if (!parsed.ok) return this.failure(pair, parsed.code, parsed.message);
    const result: JudgeResult = { ...ids, grade: parsed.grade, confidence: parsed.confidence, judgeId: this.id, guidelineVersion: this.guidelineVersion };
    if (parsed.reason !== undefined) result.reason = parsed.reason;
    return result;
  }

  private failure(pair: JudgePair, code: string, message: string): JudgeResult {
    const safeMessage = this.redact(message);
    this.settings.logger.log("warn", "Pair not graded", { judgeId: this.id, queryId: pair.queryId, productId: pair.productId, code, message: safeMessage });
    return { queryId: pair.queryId, productId: pair.productId, error: { code, message: safeMessage }, judgeId: this.id };
  }

  private async fetchResponse(key: string, body: Record<string, unknown>, pair: JudgePair, signal: AbortSignal | undefined): Promise<Fetched> {
    const cached = await this.cache?.get(key);
    if (cached !== undefined) {
      this.totals.cacheHits++;
      return { ok: true, response: cached };
    }

    const { maxRetries, logger } = this.settings;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.sendOnce(body, signal);
      if (outcome.kind === "ok") {
        const usage = readUsage(outcome.body);
        this.addUsage(usage);
        const response: CachedResponse = { body: outcome.body, usage, model: readModel(outcome.body) ?? this.settings.model, createdAtMs: this.settings.now() };
        await this.cache?.put(key, response);
        return { ok: true, response };
      }
      if (outcome.kind === "fail") return { ok: false, code: outcome.code, message: outcome.message };

      const attempts = attempt + 1;
      if (attempt >= maxRetries) {
        return { ok: false, code: outcome.code, message: `${outcome.message} Gave up after ${attempts} attempt(s); raise maxRetries or check the server at ${this.url}.` };
      }
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > this.settings.maxRetryAfterMs) {
        return {
          ok: false,
          code: outcome.code,
          message: `${outcome.message} The server asked to retry after ${outcome.retryAfterMs} ms, more than maxRetryAfterMs (${this.settings.maxRetryAfterMs} ms); run again later or raise maxRetryAfterMs.`,
        };
      }
      const delayMs = outcome.retryAfterMs ?? backoffDelayMs(attempt, this.settings.baseDelayMs, this.settings.maxDelayMs, this.settings.random);
      this.totals.retries++;
      logger.log("warn", "Retrying chat completion", {
        judgeId: this.id,
        queryId: pair.queryId,
        productId: pair.productId,
        attempt: attempts,
        code: outcome.code,
        message: this.redact(outcome.message),
        delayMs,
      });
      await this.settings.sleep(delayMs, signal);
    }
  }

  /** Sends one request and classifies the outcome. Rejects only when the caller's signal aborts. */
  private async sendOnce(body: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Attempt> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.settings.timeoutMs);
    const combined = signal === undefined ? timeout.signal : AbortSignal.any([signal, timeout.signal]);
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.#apiKey !== undefined) headers.authorization = `Bearer ${this.#apiKey}`;

    this.totals.requests++;
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(this.url, { method: "POST", headers, body: JSON.stringify(body), signal: combined });
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.signal.aborted) {
        return { kind: "retry", code: "timeout", message: `Request to ${this.url} timed out after ${this.settings.timeoutMs} ms.`, retryAfterMs: undefined };
      }
      return { kind: "retry", code: "network_error", message: `Request to ${this.url} failed: ${describeFetchError(error)}.`, retryAfterMs: undefined };
    } finally {
      clearTimeout(timer);
    }

    if (status >= 200 && status < 300) {
      try {
        return { kind: "ok", body: JSON.parse(text) };
      } catch {
        return { kind: "fail", code: "invalid_response", message: `Server returned HTTP ${status} with a body that is not JSON: ${this.excerpt(text)}` };
      }
    }
    const retryAfterMs = parseRetryAfterMs(retryAfter, this.settings.now());
    if (status === 429) return { kind: "retry", code: "rate_limited", message: `Server returned HTTP 429 (rate limited): ${this.excerpt(text)}`, retryAfterMs };
    if (status >= 500 || status === 408) return { kind: "retry", code: "server_error", message: `Server returned HTTP ${status}: ${this.excerpt(text)}`, retryAfterMs };
    return { kind: "fail", code: "http_error", message: `Server returned HTTP ${status}: ${this.excerpt(text)} Check baseUrl, model and the API key variable.` };
  }

  private addUsage(usage: TokenUsage): void {
    this.totals.promptTokens += usage.promptTokens;
    this.totals.completionTokens += usage.completionTokens;
  }

  private excerpt(text: string): string {
    const short = text.length > MAX_BODY_EXCERPT_CHARS ? `${text.slice(0, MAX_BODY_EXCERPT_CHARS)}…` : text;
    return JSON.stringify(this.redact(short));
  }

  /** Replaces the API key wherever it appears, because some servers echo the key in error bodies. */
  private redact(text: string): string {
    const key = this.#apiKey;
    if (key === undefined || key === "") return text;
    return text.split(key).join(REDACTED);
  }
}

function validateOptions(options: OpenAiCompatibleJudgeOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!/^https?:\/\/\S+$/u.test(options.baseUrl ?? "")) {
    issues.push({ path: "baseUrl", message: `expected an http:// or https:// URL, received ${JSON.stringify(options.baseUrl)}` });
  }
  if (typeof options.model !== "string" || options.model === "") issues.push({ path: "model", message: "expected a non-empty model name" });
  if (options.apiKeyEnv !== undefined) {
    const key = process.env[options.apiKeyEnv];
    if (key === undefined || key === "") {
      issues.push({ path: "apiKeyEnv", message: `environment variable ${options.apiKeyEnv} is not set or empty; export it, or leave apiKeyEnv out for a server without keys` });
    }
  }
  checkInteger(issues, "concurrency", options.concurrency, 1);
  checkInteger(issues, "maxRetries", options.maxRetries, 0);
  checkInteger(issues, "maxTokens", options.maxTokens, 1);
  checkPositive(issues, "timeoutMs", options.timeoutMs);
  checkPositive(issues, "baseDelayMs", options.baseDelayMs);
  checkPositive(issues, "maxDelayMs", options.maxDelayMs);
  checkPositive(issues, "maxRetryAfterMs", options.maxRetryAfterMs);
  const confidence = options.confidenceWithoutLogprobs;
  if (confidence !== undefined && !(confidence >= 0 && confidence <= 1)) {
    issues.push({ path: "confidenceWithoutLogprobs", message: `expected a number in [0, 1], received ${confidence}` });
  }
  if (options.pricing !== undefined) {
    for (const field of ["inputPerMillion", "outputPerMillion"] as const) {
      const price = options.pricing[field];
      if (!(Number.isFinite(price) && price >= 0)) issues.push({ path: `pricing.${field}`, message: `expected a non-negative number of US dollars, received ${price}` });
    }
  }
  return issues;
}

function checkInteger(issues: ConfigIssue[], path: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    issues.push({ path, message: `expected an integer >= ${min}, received ${value}` });
  }
}

function checkPositive(issues: ConfigIssue[], path: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    issues.push({ path, message: `expected a positive number of milliseconds, received ${value}` });
  }
}

function readModel(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const model = (body as { model?: unknown }).model;
  return typeof model === "string" ? model : undefined;
}

/** Node's fetch reports a refused connection as "fetch failed" with the system error in `cause`. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return `${error.message} (${code ?? cause.message})`;
  }
  return error.message;
}
