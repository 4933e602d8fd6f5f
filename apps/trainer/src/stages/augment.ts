import path from "node:path";
import { InternalError, type Logger } from "@mine-refine/core";
import {
  augmentWithTypos,
  countJudgedQueries,
  createTypoGenerator,
  generateSyntheticQueries,
  gradeSyntheticQueries,
  type TypoGeneratorOptions,
} from "@mine-refine/data";
import type { TrainConfig } from "../config/schema.js";
import { writeAtomic } from "../run/run-directory.js";
import {
  type AddedJudgment,
  type AddedQuery,
  type AugmentationRecord,
  applyAugmentation,
  isSyntheticQueryId,
  type ReplacedQuery,
  readAugmentationRecord,
  writeAugmentationRecord,
} from "./augment-record.js";
import type { PreparedData } from "./data.js";
import type { StageContext } from "./stage.js";
import { trainJudgments } from "./stage1.js";
import { createSyntheticJudge } from "./synthetic-judge.js";

/** True when the config turns on typo copies or synthetic queries. */
export function augmentationEnabled(config: TrainConfig): boolean {
  return config.augmentation.typos.enabled || config.augmentation.synthetic.enabled;
}

/**
 * Augments the training split: graded synthetic queries for products with few judged training
 * queries, then misspelled copies of the clean training queries with their human grades. Writes the
 * added queries and judgments (`queries.jsonl`, `judgments.jsonl`, `replaced-queries.jsonl`) and
 * `summary.json`, and hands the augmented data to later stages. Dev and test queries are left clean.
 */
export async function runAugmentStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const prepared = await context.data();
  const record: AugmentationRecord = { queries: [], judgments: [], replaced: [] };
  const summary: Record<string, unknown> = {};

  if (config.augmentation.synthetic.enabled) {
    summary.synthetic = await addSyntheticQueries(context, prepared, dir, record);
  }
  if (config.augmentation.typos.enabled) {
    summary.typos = addTypoCopies(config, prepared, record, logger);
  }

  await writeAugmentationRecord(dir, record);
  await writeAtomic(path.join(dir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
  context.setData(applyAugmentation(prepared, record));
}

/** Re-reads the queries and judgments a finished augment stage added; nothing is drawn again. */
export async function restoreAugmentation(prepared: PreparedData, dir: string): Promise<PreparedData> {
  return applyAugmentation(prepared, await readAugmentationRecord(dir));
}

function addTypoCopies(config: TrainConfig, prepared: PreparedData, record: AugmentationRecord, logger: Logger): Record<string, number | string> {
  const settings = config.augmentation.typos;
  const generator = createTypoGenerator(typoGeneratorOptions(config));
  const result = augmentWithTypos(prepared.dataset, prepared.split.train, {
    seed: settings.seed ?? config.seed,
    ratio: settings.ratio,
    mode: settings.mode,
    generator,
  });
  const queriesById = new Map(result.dataset.queries.map((query) => [query.id, query]));

  if (settings.mode === "replace") {
    for (const id of result.mapping.keys()) {
      const replaced: ReplacedQuery = { id, text: queriesById.get(id)!.text, originalText: prepared.query(id).text };
      record.replaced.push(replaced);
    }
    logger.log("info", "augment: replaced training query texts with misspellings", { replaced: record.replaced.length, trainQueries: prepared.split.train.length });
    return { mode: settings.mode, replacedQueries: record.replaced.length };
  }

  const addedIds = new Set(result.addedQueryIds);
  for (const id of result.addedQueryIds) {
    const query = queriesById.get(id)!;
    const added: AddedQuery = { id, text: query.text, kind: "typo", sourceQueryId: result.mapping.get(id)! };
    if (query.locale !== undefined) added.locale = query.locale;
    record.queries.push(added);
  }
  let judgments = 0;
  for (const judgment of result.dataset.judgments) {
    if (!addedIds.has(judgment.queryId)) continue;
    record.judgments.push({ ...judgment, kind: "typo" });
    judgments++;
  }
  logger.log("info", "augment: added misspelled copies of training queries", { copies: addedIds.size, judgments, trainQueries: prepared.split.train.length });
  return { mode: settings.mode, copies: addedIds.size, judgments };
}

/** The configured generator options, leaving out unset ones so the generator's defaults apply. */
function typoGeneratorOptions(config: TrainConfig): TypoGeneratorOptions {
  const options: TypoGeneratorOptions = {};
  for (const [key, value] of Object.entries(config.augmentation.typos.generator)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  return options;
}

async function addSyntheticQueries(
  context: StageContext,
  prepared: PreparedData,
  dir: string,
  record: AugmentationRecord,
): Promise<Record<string, unknown>> {
  const { config, logger } = context;
  const settings = config.augmentation.synthetic;
  const { dataset, split } = prepared;

  // Products count only their training queries, so held-out queries do not hide a product's need.
  const judgedQueryCounts = countJudgedQueries(trainJudgments(dataset.judgments, split.train));
  // NOTE: only template queries; `generateLlmSyntheticQueries` of the data package is not wired into the config yet.
  const synthetic = generateSyntheticQueries(dataset.products, {
    seed: settings.seed ?? config.seed,
    maxPerProduct: settings.maxPerProduct,
    productsWithFewQueries: { judgedQueryCounts, threshold: settings.maxJudgedQueries + 1 },
    // Every real query text, dev and test included, so no synthetic query copies a held-out one.
    excludeTexts: dataset.queries.map((query) => query.text),
  });
  for (const query of synthetic) {
    if (!isSyntheticQueryId(query.queryId)) throw new InternalError(`synthetic query id "${query.queryId}" does not start with "syn:"`);
  }
  logger.log("info", "augment: wrote synthetic queries", { queries: synthetic.length, products: new Set(synthetic.map((query) => query.sourceProductId)).size });

  const judge = await createSyntheticJudge(config, prepared, dir, logger);
  const graded = await gradeSyntheticQueries(synthetic, dataset.products, judge, {
    minConfidence: settings.minConfidence,
    batchSize: 256,
    logger,
    progress: context.progress,
  });

  const sourceOf = new Map(synthetic.map((query) => [query.queryId, query]));
  for (const query of graded.queries) {
    const source = sourceOf.get(query.id)!;
    const added: AddedQuery = { id: query.id, text: query.text, kind: "synthetic", sourceProductId: source.sourceProductId, template: source.template };
    if (query.locale !== undefined) added.locale = query.locale;
    record.queries.push(added);
  }
  for (const pair of graded.graded) {
    const judgment: AddedJudgment = { ...pair.judgment, kind: "synthetic", confidence: pair.confidence, judgeId: pair.judgeId };
    record.judgments.push(judgment);
  }

  const failures: Record<string, number> = {};
  for (const failure of graded.failures) failures[failure.code] = (failures[failure.code] ?? 0) + 1;
  const grades: Record<string, number> = {};
  for (const judgment of graded.judgments) grades[String(judgment.grade)] = (grades[String(judgment.grade)] ?? 0) + 1;
  logger.log("info", "augment: graded synthetic queries", { judge: judge.id, kept: graded.queries.length, judgments: graded.judgments.length, failed: graded.failures.length });
  return { judge: judge.id, generated: synthetic.length, keptQueries: graded.queries.length, judgments: graded.judgments.length, grades, failures };
}
