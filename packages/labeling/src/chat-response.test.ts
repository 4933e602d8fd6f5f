import { GRADE_MODERATE } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { parseChatResponse, readUsage } from "./chat-response.js";
import { completion } from "./test/chat-server.js";

describe("parseChatResponse", () => {
  it("takes confidence from the digit token", () => {
    const parsed = parseChatResponse(completion('{"grade": 1}', { gradeProbability: 0.6 }), 0.9);
    expect(parsed.ok ? parsed.confidence : Number.NaN).toBeCloseTo(0.6, 12);
  });

  it("finds a digit inside a longer token", () => {
    const body = completion('{"grade":1}');
    const choice = (body.choices as Record<string, unknown>[])[0] as Record<string, unknown>;
    choice.logprobs = { content: [{ token: '{"grade":', logprob: 0 }, { token: "1}", logprob: Math.log(0.4) }] };
    const parsed = parseChatResponse(body, 0.9);
    expect(parsed.ok ? parsed.confidence : Number.NaN).toBeCloseTo(0.4, 12);
  });

  it("falls back when tokens do not spell the content", () => {
    const body = completion('{"grade":1}');
    const choice = (body.choices as Record<string, unknown>[])[0] as Record<string, unknown>;
    choice.logprobs = { content: [{ token: "1", logprob: Math.log(0.4) }] };
    const parsed = parseChatResponse(body, 0.9);
    expect(parsed.ok ? parsed.confidence : Number.NaN).toBe(0.9);
  });

  it("accepts a fenced JSON reply", () => {
    const parsed = parseChatResponse(completion('```json\n{"grade":1}\n```'), 0.9);
    expect(parsed.ok ? parsed.grade : undefined).toBe(GRADE_MODERATE);
  });

  it.each([
    ["a string grade", '{"grade":"2"}', "invalid_grade"],
    ["a fractional grade", '{"grade":1.5}', "invalid_grade"],
    ["a negative grade", '{"grade":-1}', "invalid_grade"],
    ["a missing grade", '{"reason":"x"}', "invalid_grade"],
    ["a numeric reason", '{"grade":1,"reason":3}', "invalid_output"],
    ["an array", "[1]", "invalid_output"],
    ["truncated JSON", '{"grade":', "invalid_json"],
  ])("rejects %s", (_name, content, code) => {
    const parsed = parseChatResponse(completion(content), 0.9);
    expect(parsed.ok ? "ok" : parsed.code).toBe(code);
  });

  it("reports a refusal", () => {
    const parsed = parseChatResponse({ choices: [{ message: { role: "assistant", content: null, refusal: "I cannot help" } }] }, 0.9);
    expect(parsed.ok ? "ok" : parsed.code).toBe("refusal");
  });

  it("rejects a body without choices", () => {
    const parsed = parseChatResponse({ error: "x" }, 0.9);
    expect(parsed.ok ? "ok" : parsed.code).toBe("invalid_response");
  });
});

describe("readUsage", () => {
  it("counts missing numbers as zero", () => {
    expect(readUsage({ usage: { prompt_tokens: 12 } })).toEqual({ promptTokens: 12, completionTokens: 0 });
  });
});
