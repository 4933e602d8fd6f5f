import { createHash } from "node:crypto";
import { renderSystemPrompt, renderUserPrompt } from "./guideline.js";
import type { JudgePair } from "./judge.js";

/**
 * How the request asks for JSON output. `json_schema` (OpenAI structured outputs, also read by vLLM,
 * llama.cpp server and Ollama's OpenAI endpoint) constrains decoding to the grade schema;
 * `json_object` only asks for some JSON object; `none` sends no `response_format` for servers that
 * reject the field. The reply is validated against the schema in every case.
 */
export type ResponseFormatMode = "json_schema" | "json_object" | "none";

/** JSON Schema of the judge's reply: `{grade: 0|1|2, reason?: string}`. */
export const GRADE_OUTPUT_SCHEMA = {
  type: "object",
  properties: {
    grade: { type: "integer", enum: [0, 1, 2] },
    reason: { type: "string" },
  },
  required: ["grade"],
  additionalProperties: false,
} as const;

export interface ChatRequestSettings {
  model: string;
  responseFormat: ResponseFormatMode;
  logprobs: boolean;
  maxTokens: number;
}

/** Builds the chat-completions request body for one pair at temperature 0. */
export function buildChatRequest(pair: JudgePair, settings: ChatRequestSettings): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: settings.model,
    messages: [
      { role: "system", content: renderSystemPrompt() },
      { role: "user", content: renderUserPrompt(pair) },
    ],
    temperature: 0,
    // NOTE: OpenAI's reasoning models read `max_completion_tokens` instead; the other servers named above read `max_tokens`.
    max_tokens: settings.maxTokens,
  };
  if (settings.logprobs) body.logprobs = true;
  if (settings.responseFormat === "json_schema") {
    body.response_format = {
      type: "json_schema",
      json_schema: { name: "relevance_grade", strict: true, schema: GRADE_OUTPUT_SCHEMA },
    };
  } else if (settings.responseFormat === "json_object") {
    body.response_format = { type: "json_object" };
  }
  return body;
}

/** Serialises a JSON value with object keys in sorted order, so equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  }
  return sorted;
}

/**
 * Returns the cache key of a request: the hex SHA-256 of its canonical JSON body. The server URL is
 * not part of the key, so two servers that serve the same model name share cache entries.
 */
export function requestCacheKey(body: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}
