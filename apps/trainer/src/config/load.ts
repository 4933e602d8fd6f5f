import { readFile } from "node:fs/promises";
import path from "node:path";
import { type ConfigIssue, ConfigError, expandEnvironmentVariables, InputError } from "@mine-refine/core";
import { parse as parseYaml } from "yaml";
import { type TrainConfig, trainConfigSchema } from "./schema.js";

/** Keys whose string values are file paths, resolved against the config file's folder. */
const PATH_KEYS = new Set(["runDir", "path", "examplesPath", "productsPath", "directory", "checkpoint", "exportCsv", "importCsv", "cacheDir"]);

/**
 * Reads a YAML or JSON config, expands `${VAR}` from the environment, applies dotted overrides
 * (`stage1.epochs=2`), resolves relative paths against the config file's folder and validates it,
 * reporting every problem at once.
 */
export async function loadTrainConfig(
  file: string,
  overrides: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<TrainConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError("file_not_found", { file }, "cannot read the config file", "Check the --config path.", {
      cause: error,
    });
  }

  let raw: unknown;
  try {
    raw = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError("invalid_config_syntax", { file }, `not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`, "Fix the syntax.");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file, [{ path: "", message: "expected a mapping of options at the top level" }]);
  }

  const issues: ConfigIssue[] = [];
  const expanded = expandEnvironmentVariables(raw, env, issues) as Record<string, unknown>;
  for (const override of overrides) applyOverride(expanded, override, issues);
  if (issues.length > 0) throw new ConfigError(file, issues);

  const parsed = trainConfigSchema.safeParse(expanded);
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  return resolvePaths(parsed.data, path.dirname(path.resolve(file))) as TrainConfig;
}

/** Applies `a.b.c=value`; the value is parsed as YAML, so numbers, booleans and lists keep their type. */
function applyOverride(target: Record<string, unknown>, override: string, issues: ConfigIssue[]): void {
  const eq = override.indexOf("=");
  if (eq <= 0) {
    issues.push({ path: override, message: "an override must look like key.path=value" });
    return;
  }
  const keys = override.slice(0, eq).split(".");
  const value = parseYaml(override.slice(eq + 1)) as unknown;
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== "object" || next === null || Array.isArray(next)) {
      issues.push({ path: keys.join("."), message: `cannot set a field inside "${key}", which is not a mapping` });
      return;
    }
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function resolvePaths(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((item) => resolvePaths(item, base));
  if (typeof value === "object" && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = PATH_KEYS.has(key) && typeof item === "string" ? path.resolve(base, item) : resolvePaths(item, base);
    }
    return result;
  }
  return value;
}
