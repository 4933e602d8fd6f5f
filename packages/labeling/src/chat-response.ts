import { type Grade, isGrade } from "@mine-refine/core";
import type { TokenUsage } from "./judge-cache.js";

export type ParsedGrade = { ok: true; grade: Grade; confidence: number; reason?: string } | { ok: false; code: string; message: string };

/** Longest excerpt of model output quoted in an error message. */
const MAX_EXCERPT_CHARS = 200;

/**
 * Reads the grade from a chat-completions response body and validates it against
 * `{grade: 0|1|2, reason?: string}`. Every malformed reply becomes an error code:
 * `invalid_response` (the body is not a chat completion), `no_choices`, `refusal`, `invalid_json`,
 * `invalid_grade` (missing, out of range or not an integer) and `invalid_output` (other schema
 * violations). The confidence is the probability of the grade token when the response carries
 * logprobs, else `confidenceWithoutLogprobs`.
 */
export function parseChatResponse(body: unknown, confidenceWithoutLogprobs: number): ParsedGrade {
  if (!isRecord(body)) return failure("invalid_response", `Expected a JSON object as response body, received ${describe(body)}.`);
  const choices = body.choices;
  if (!Array.isArray(choices)) return failure("invalid_response", `Expected a "choices" array in the response, received ${describe(choices)}.`);
  const choice: unknown = choices[0];
  if (choice === undefined) return failure("no_choices", "The response contains an empty choices list.");
  if (!isRecord(choice) || !isRecord(choice.message)) return failure("invalid_response", "The first choice has no message object.");
  const message = choice.message;
  if (typeof message.refusal === "string" && message.refusal !== "") {
    return failure("refusal", `The model refused to grade: ${excerpt(message.refusal)}`);
  }
  if (typeof message.content !== "string") return failure("invalid_response", `Expected string message content, received ${describe(message.content)}.`);

  const content = message.content;
  let output: unknown;
  try {
    output = JSON.parse(stripCodeFence(content));
  } catch {
    return failure("invalid_json", `The model output is not valid JSON: ${excerpt(content)}`);
  }
  if (!isRecord(output)) return failure("invalid_output", `Expected a JSON object with a "grade" field, received ${excerpt(content)}`);
  if (!isGrade(output.grade)) return failure("invalid_grade", `Expected "grade" to be 0, 1 or 2, received ${excerpt(JSON.stringify(output.grade) ?? "nothing")}.`);
  if (output.reason !== undefined && typeof output.reason !== "string") {
    return failure("invalid_output", `Expected "reason" to be a string, received ${describe(output.reason)}.`);
  }
  const extraKeys = Object.keys(output).filter((key) => key !== "grade" && key !== "reason");
  if (extraKeys.length > 0) return failure("invalid_output", `Unexpected field(s) in the model output: ${extraKeys.join(", ")}.`);

  const grade = output.grade;
  const confidence = gradeTokenProbability(choice.logprobs, content, grade) ?? confidenceWithoutLogprobs;
  const parsed: ParsedGrade = { ok: true, grade, confidence };
  if (typeof output.reason === "string") parsed.reason = output.reason;
  return parsed;
}

/** Reads `usage.prompt_tokens` and `usage.completion_tokens`, counting a missing number as 0. */
export function readUsage(body: unknown): TokenUsage {
  const usage = isRecord(body) && isRecord(body.usage) ? body.usage : {};
  return {
    promptTokens: nonNegative(usage.prompt_tokens),
    completionTokens: nonNegative(usage.completion_tokens),
  };
}

/**
 * Finds the token that carries the grade digit and returns exp(logprob) of it. The tokens of
 * `logprobs.content` are laid end to end to recover character offsets; when they do not spell the
 * content (some servers send partial logprobs), this returns undefined.
 */
function gradeTokenProbability(logprobs: unknown, content: string, grade: Grade): number | undefined {
  if (!isRecord(logprobs) || !Array.isArray(logprobs.content)) return undefined;
  const match = /"grade"\s*:\s*(\d)/u.exec(content);
  if (match === null || match[1] !== String(grade)) return undefined;
  const digitOffset = match.index + match[0].length - 1;

  let offset = 0;
  let spelled = "";
  let probability: number | undefined;
  for (const entry of logprobs.content) {
    if (!isRecord(entry) || typeof entry.token !== "string" || typeof entry.logprob !== "number") return undefined;
    const end = offset + entry.token.length;
    if (probability === undefined && digitOffset >= offset && digitOffset < end) probability = Math.exp(entry.logprob);
    spelled += entry.token;
    offset = end;
  }
  if (spelled !== content || probability === undefined) return undefined;
  return Math.min(1, Math.max(0, probability));
}

/** Removes one surrounding Markdown code fence (```json … ```), which some models add without a response format. */
function stripCodeFence(content: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/u.exec(content);
  return fenced?.[1] ?? content;
}

function failure(code: string, message: string): ParsedGrade {
  return { ok: false, code, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonNegative(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function excerpt(text: string): string {
  const quoted = JSON.stringify(text.length > MAX_EXCERPT_CHARS ? `${text.slice(0, MAX_EXCERPT_CHARS)}…` : text);
  return quoted;
}
