import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, GRADE_MODERATE, type LogLevel } from "@mine-refine/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isJudgeGrade, type JudgePair } from "./judge.js";
import { JsonlJudgeCache, MemoryJudgeCache } from "./judge-cache.js";
import { OpenAiCompatibleJudge, type OpenAiCompatibleJudgeOptions } from "./openai-compatible-judge.js";
import { completion, type FakeChatServer, type ReplyHandler, startFakeChatServer } from "./test/chat-server.js";
import { makePair } from "./test/pairs.js";
import { confidenceOf, outcomeOf } from "./test/outcome.js";

const API_KEY_ENV = "MINE_REFINE_TEST_JUDGE_KEY";
const API_KEY = "sk-test-7f3a9c1e5b2d4a6f";

let server: FakeChatServer | undefined;
let sleeps: number[];
let logs: { level: LogLevel; message: string; fields?: Record<string, unknown> }[];

beforeEach(() => {
  sleeps = [];
  logs = [];
  process.env[API_KEY_ENV] = API_KEY;
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  delete process.env[API_KEY_ENV];
});

/** Scripts replies by the query text, which the user prompt contains as "Query: <text>". */
function byQuery(replies: Record<string, (attempt: number) => ReturnType<ReplyHandler>>): ReplyHandler {
  return (request, attempt) => {
    const query = /^Query: (.*)$/mu.exec(request.userMessage)?.[1] ?? "";
    const reply = replies[query];
    if (reply === undefined) return { status: 200, body: completion('{"grade":2}', { gradeProbability: 0.8 }) };
    return reply(attempt);
  };
}

function judgeFor(fake: FakeChatServer, options: Partial<OpenAiCompatibleJudgeOptions> = {}): OpenAiCompatibleJudge {
  return new OpenAiCompatibleJudge({
    baseUrl: fake.baseUrl,
    model: "fake-judge",
    apiKeyEnv: API_KEY_ENV,
    concurrency: 2,
    timeoutMs: 2_000,
    maxRetries: 3,
    baseDelayMs: 100,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    logger: { log: (level, message, fields) => logs.push({ level, message, fields }) },
    ...options,
  });
}

function pairsFor(queries: string[]): JudgePair[] {
  return queries.map((query, i) => makePair(`q${i}`, query, `p${i}`, `Product ${i} for ${query}`));
}

describe("OpenAiCompatibleJudge", () => {
  it("reads grade and logprob confidence", async () => {
    server = await startFakeChatServer(byQuery({ drill: () => ({ status: 200, body: completion('{"grade":1,"reason":"other brand"}', { gradeProbability: 0.75 }) }) }));
    const [result] = await judgeFor(server).grade(pairsFor(["drill"]));
    expect(result).toMatchObject({ queryId: "q0", productId: "p0", grade: GRADE_MODERATE, reason: "other brand", judgeId: "openai-compatible:fake-judge" });
    expect(confidenceOf(result)).toBeCloseTo(0.75, 12);
  });

  it("uses default confidence without logprobs", async () => {
    server = await startFakeChatServer(byQuery({ drill: () => ({ status: 200, body: completion('{"grade":2}') }) }));
    const [result] = await judgeFor(server, { confidenceWithoutLogprobs: 0.6 }).grade(pairsFor(["drill"]));
    expect(confidenceOf(result)).toBe(0.6);
  });

  it("sends the request the guideline asks for", async () => {
    server = await startFakeChatServer(byQuery({}));
    await judgeFor(server).grade(pairsFor(["drill"]));
    const body = server.requests[0]?.body ?? {};
    expect(body.temperature).toBe(0);
    expect(body.logprobs).toBe(true);
    expect((body.response_format as { type: string }).type).toBe("json_schema");
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("honours Retry-After seconds on 429", async () => {
    server = await startFakeChatServer(
      byQuery({ drill: (attempt) => (attempt === 1 ? { status: 429, headers: { "retry-after": "1" }, body: { error: { message: "slow down" } } } : { status: 200, body: completion('{"grade":2}') }) }),
    );
    const judge = judgeFor(server);
    const [result] = await judge.grade(pairsFor(["drill"]));
    expect(outcomeOf(result)).toBe("graded");
    expect(sleeps).toEqual([1000]);
    expect(judge.usage().retries).toBe(1);
  });

  it("honours Retry-After HTTP date on 429", async () => {
    const nowMs = Date.UTC(2026, 11, 1, 12, 0, 0);
    const retryAt = new Date(nowMs + 3000).toUTCString();
    server = await startFakeChatServer(
      byQuery({ drill: (attempt) => (attempt === 1 ? { status: 429, headers: { "retry-after": retryAt }, body: {} } : { status: 200, body: completion('{"grade":2}') }) }),
    );
    await judgeFor(server, { now: () => nowMs }).grade(pairsFor(["drill"]));
    expect(sleeps).toEqual([3000]);
  });

  it("retries 500 with jittered backoff", async () => {
    server = await startFakeChatServer(byQuery({ drill: (attempt) => (attempt <= 2 ? { status: 500, body: "boom" } : { status: 200, body: completion('{"grade":2}') }) }));
    const [result] = await judgeFor(server).grade(pairsFor(["drill"]));
    expect(outcomeOf(result)).toBe("graded");
    // Full jitter with random() = 0.5: half of 100 ms, then half of 200 ms.
    expect(sleeps).toEqual([50, 100]);
  });

  it("gives up after maxRetries", async () => {
    server = await startFakeChatServer(byQuery({ drill: () => ({ status: 503, body: "down" }) }));
    const [result] = await judgeFor(server, { maxRetries: 2 }).grade(pairsFor(["drill"]));
    expect(outcomeOf(result)).toBe("server_error");
    expect(server.requests.length).toBe(3);
  });

  it("rejects a Retry-After above the limit", async () => {
    server = await startFakeChatServer(byQuery({ drill: () => ({ status: 429, headers: { "retry-after": "600" }, body: {} }) }));
    const [result] = await judgeFor(server, { maxRetryAfterMs: 10_000 }).grade(pairsFor(["drill"]));
    expect(outcomeOf(result)).toBe("rate_limited");
    expect(sleeps).toEqual([]);
  });

  it("times out a hung request and retries", async () => {
    server = await startFakeChatServer(byQuery({ drill: (attempt) => (attempt === 1 ? "hang" : { status: 200, body: completion('{"grade":2}') }) }));
    const [result] = await judgeFor(server, { timeoutMs: 150 }).grade(pairsFor(["drill"]));
    expect(outcomeOf(result)).toBe("graded");
    expect(server.requests.length).toBe(2);
  });

  it("reports timeout when every attempt hangs", async () => {
    server = await startFakeChatServer(byQuery({ drill: () => "hang" }));
    const [result] = await judgeFor(server, { timeoutMs: 100, maxRetries: 1 }).grade(pairsFor(["drill"]));
    expect(outcomeOf(result)).toBe("timeout");
  });

  it("turns malformed replies into error codes", async () => {
    server = await startFakeChatServer(
      byQuery({
        "bad json": () => ({ status: 200, body: completion("grade: two") }),
        "grade three": () => ({ status: 200, body: completion('{"grade":3}') }),
        "no choices": () => ({ status: 200, body: { ...completion(""), choices: [] } }),
        "extra field": () => ({ status: 200, body: completion('{"grade":1,"score":0.4}') }),
      }),
    );
    const results = await judgeFor(server).grade(pairsFor(["bad json", "grade three", "no choices", "extra field"]));
    expect(results.map(outcomeOf)).toEqual(["invalid_json", "invalid_grade", "no_choices", "invalid_output"]);
    // A malformed 200 reply is final: no pair is requested twice.
    expect(server.requests.length).toBe(4);
  });

  it("grades each pair once under faults", async () => {
    const queries = ["ok a", "limited", "flaky", "hung", "bad json", "ok b", "grade three", "no choices", "ok c"];
    server = await startFakeChatServer(
      byQuery({
        limited: (attempt) => (attempt === 1 ? { status: 429, headers: { "retry-after": "1" }, body: {} } : { status: 200, body: completion('{"grade":0}') }),
        flaky: (attempt) => (attempt === 1 ? { status: 502, body: "bad gateway" } : { status: 200, body: completion('{"grade":1}') }),
        hung: (attempt) => (attempt === 1 ? "hang" : { status: 200, body: completion('{"grade":2}') }),
        "bad json": () => ({ status: 200, body: completion("{grade") }),
        "grade three": () => ({ status: 200, body: completion('{"grade":3}') }),
        "no choices": () => ({ status: 200, body: { ...completion(""), choices: [] } }),
      }),
    );
    const pairs = pairsFor(queries);
    // The timeout must exceed a normal reply on a loaded machine, or healthy requests retry too.
    const judge = judgeFor(server, { concurrency: 3, timeoutMs: 1_500 });
    const results = await judge.grade(pairs);

    expect(results.map((result) => result.queryId)).toEqual(pairs.map((pair) => pair.queryId));
    expect(results.filter(isJudgeGrade).length).toBe(6);
    expect(results.filter((result) => "error" in result).length).toBe(3);
    expect(server.maxInFlight()).toBeLessThanOrEqual(3);
    // Nine pairs, plus one extra request each for the 429, the 502 and the hung request.
    expect(server.requests.length).toBe(12);
  });

  it("charges nothing twice with a cache", async () => {
    server = await startFakeChatServer(byQuery({}));
    const cache = new MemoryJudgeCache();
    const pairs = pairsFor(["a", "b", "c"]);
    const first = judgeFor(server, { cache, pricing: { inputPerMillion: 2, outputPerMillion: 10 } });
    const firstResults = await first.grade(pairs);
    const second = judgeFor(server, { cache, pricing: { inputPerMillion: 2, outputPerMillion: 10 } });
    const secondResults = await second.grade(pairs);

    expect(server.requests.length).toBe(3);
    // 3 responses × (100 prompt tokens × $2 + 5 completion tokens × $10) per million tokens.
    expect(first.usage().costUsd).toBeCloseTo(3 * (100 * 2 + 5 * 10) / 1e6, 15);
    expect(second.usage()).toMatchObject({ requests: 0, cacheHits: 3, promptTokens: 0, completionTokens: 0, costUsd: 0 });
    expect(secondResults).toEqual(firstResults);
  });

  it("shares one request for duplicate pairs", async () => {
    server = await startFakeChatServer(byQuery({}));
    const pair = makePair("q", "drill", "p", "Cordless Drill");
    const results = await judgeFor(server, { concurrency: 4 }).grade([pair, pair, pair]);
    expect(results.filter(isJudgeGrade).length).toBe(3);
    expect(server.requests.length).toBe(1);
  });

  describe("with a JSONL cache", () => {
    let directory: string;
    beforeEach(async () => {
      directory = await mkdtemp(join(tmpdir(), "labeling-cache-"));
    });
    afterEach(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it("survives a restart without new requests", async () => {
      server = await startFakeChatServer(byQuery({ "bad json": () => ({ status: 200, body: completion("nope") }) }));
      const path = join(directory, "cache.jsonl");
      const pairs = pairsFor(["a", "b", "bad json"]);
      const firstResults = await judgeFor(server, { cache: new JsonlJudgeCache(path) }).grade(pairs);
      const rerun = judgeFor(server, { cache: new JsonlJudgeCache(path) });
      const rerunResults = await rerun.grade(pairs);

      expect(server.requests.length).toBe(3);
      expect(rerun.usage().requests).toBe(0);
      expect(rerunResults).toEqual(firstResults);
    });
  });

  it("keeps the API key out of errors and logs", async () => {
    // A server that echoes the Authorization header, as some providers do in 401 and 429 bodies.
    server = await startFakeChatServer((request, attempt) => {
      const echo = { error: { message: `Incorrect API key provided: ${request.headers.authorization}` } };
      if (request.userMessage.includes("Query: limited") && attempt === 1) return { status: 429, body: echo };
      if (request.userMessage.includes("Query: limited")) return { status: 200, body: completion('{"grade":2}') };
      return { status: 401, body: echo };
    });
    const results = await judgeFor(server).grade(pairsFor(["denied", "limited"]));

    expect(outcomeOf(results[0])).toBe("http_error");
    expect(JSON.stringify(results[0])).toContain("[redacted]");
    expect(JSON.stringify(results)).not.toContain(API_KEY);
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toContain(API_KEY);
  });

  it("names a missing key variable", () => {
    delete process.env[API_KEY_ENV];
    expect(() => new OpenAiCompatibleJudge({ baseUrl: "http://127.0.0.1:9/v1", model: "m", apiKeyEnv: API_KEY_ENV })).toThrow(ConfigError);
    expect(() => new OpenAiCompatibleJudge({ baseUrl: "http://127.0.0.1:9/v1", model: "m", apiKeyEnv: API_KEY_ENV })).toThrow(API_KEY_ENV);
  });

  it("reports a refused connection", async () => {
    // Port 9 (discard) on loopback is closed here, so the connection is refused at once.
    const judge = new OpenAiCompatibleJudge({ baseUrl: "http://127.0.0.1:9/v1", model: "m", maxRetries: 1, sleep: async () => {} });
    const [result] = await judge.grade(pairsFor(["drill"]));
    expect(outcomeOf(result)).toBe("network_error");
  });

  it("stops on caller abort", async () => {
    server = await startFakeChatServer(byQuery({ drill: () => "hang" }));
    const controller = new AbortController();
    const pending = judgeFor(server).grade(pairsFor(["drill"]), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stopped by test")), 20);
    await expect(pending).rejects.toThrow("stopped by test");
  });
});
