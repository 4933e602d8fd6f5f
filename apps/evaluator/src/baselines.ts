import { InputError } from "@mine-refine/core";

/** Baselines the evaluator can add next to the given models. */
export const BASELINES = ["bm25", "bm25-lancedb", "untrained", "hybrid"] as const;
export type Baseline = (typeof BASELINES)[number];

/** Parses `--baselines a,b,c`; an empty value selects none. */
export function parseBaselines(value: string): Baseline[] {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !(BASELINES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new InputError(
      "unknown_baseline",
      { file: "--baselines" },
      `unknown baseline${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => `"${name}"`).join(", ")}`,
      `Choose from ${BASELINES.join(", ")}, separated by commas.`,
    );
  }
  return [...new Set(names as Baseline[])];
}
