import { readFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, type ConfigIssue, expandEnvironmentVariables, InputError } from "@mine-refine/core";
import type { DataSourceOptions } from "@mine-refine/data";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/**
 * The part of a trainer config that the evaluator reads: the data source and query split, and the
 * run's seed, metric cut-offs and product fields when present.
 *
 * NOTE: this re-implements the part of the trainer's config loader that reads the data section
 * (`${VAR}` expansion, paths relative to the config file, split defaults), because apps do not
 * depend on each other. The adapter options themselves are validated by `loadDataSource`.
 */
export interface DataConfig {
  name: string;
  seed: number;
  source: DataSourceOptions;
  split: { seed: number; devFraction: number; testFraction: number };
  ks: number[];
  productFields: string[];
}

const PATH_KEYS = new Set(["path", "examplesPath", "productsPath"]);

const dataConfigSchema = z.object({
  name: z.string().default("evaluation"),
  seed: z.number().int().default(42),
  data: z.object({
    source: z.looseObject({ kind: z.enum(["demo", "homedepot", "esci", "generic"]) }),
    split: z
      .object({
        seed: z.number().int().default(13),
        devFraction: z.number().min(0).max(1).default(0.1),
        testFraction: z.number().min(0).max(1).default(0.1),
      })
      .prefault({}),
  }),
  model: z.looseObject({ productFields: z.array(z.string()).default(["title", "brand"]) }).prefault({}),
  evaluation: z.looseObject({ ks: z.array(z.number().int().positive()).min(1).default([10, 50, 100]) }).prefault({}),
});

/** Reads the data section of a trainer config file (YAML or JSON), reporting every problem at once. */
export async function loadDataConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<DataConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError("file_not_found", { file }, "cannot read the config file", "Check the --data path.", { cause: error });
  }
  let raw: unknown;
  try {
    raw = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError("invalid_config_syntax", { file }, `not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`, "Fix the syntax.");
  }

  const issues: ConfigIssue[] = [];
  const expanded = expandEnvironmentVariables(raw, env, issues);
  if (issues.length > 0) throw new ConfigError(file, issues);
  const parsed = dataConfigSchema.safeParse(expanded);
  if (!parsed.success) {
    throw new ConfigError(file, parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })));
  }

  const base = path.dirname(path.resolve(file));
  const source: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed.data.data.source)) {
    source[key] = PATH_KEYS.has(key) && typeof value === "string" ? path.resolve(base, value) : value;
  }
  return {
    name: parsed.data.name,
    seed: parsed.data.seed,
    source: source as DataSourceOptions,
    split: parsed.data.data.split,
    ks: parsed.data.evaluation.ks,
    productFields: parsed.data.model.productFields,
  };
}

