import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { JudgePair } from "./judge.js";

/** Version of the guideline in `guideline/v1.md`. Every judgment records it. */
export const GUIDELINE_VERSION = "2026-12-v1";

/** Path of the guideline Markdown file, shipped next to `dist` and `src` in the package. */
export const GUIDELINE_PATH = fileURLToPath(new URL("../guideline/v1.md", import.meta.url));

let guidelineText: string | undefined;

/** Reads the guideline Markdown once and keeps it for later calls. */
export function loadGuideline(): string {
  guidelineText ??= readFileSync(GUIDELINE_PATH, "utf8");
  return guidelineText;
}

/** Renders the system prompt: the full guideline, which ends with the required JSON output format. */
export function renderSystemPrompt(): string {
  return loadGuideline().trim();
}

/** Product fields longer than this many characters are cut, so one long description cannot fill the context window. */
const MAX_FIELD_CHARS = 500;

/**
 * Renders the user prompt for one pair: the query, the product title and each non-empty product
 * field on its own line, fields in sorted key order so that the same pair always gives the same
 * prompt (and the same cache key).
 */
export function renderUserPrompt(pair: JudgePair): string {
  const lines = [`Query: ${oneLine(pair.query)}`, `Product title: ${oneLine(pair.product.title)}`];
  const keys = Object.keys(pair.product.fields).sort();
  for (const key of keys) {
    const value = oneLine(pair.product.fields[key] ?? "");
    if (value === "") continue;
    const shown = value.length > MAX_FIELD_CHARS ? `${value.slice(0, MAX_FIELD_CHARS)}…` : value;
    lines.push(`Product ${key}: ${shown}`);
  }
  lines.push("Grade this product for this query.");
  return lines.join("\n");
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}
