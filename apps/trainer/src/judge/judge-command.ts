import path from "node:path";
import { type Grade, type Logger, MineRefineError } from "@mine-refine/core";
import { splitQueries } from "@mine-refine/data";
import { evaluateJudge, exportFineTuningJsonl, formatJudgeEvaluation, type JudgeEvaluation, pairKey } from "@mine-refine/labeling";
import { openStore, type Store } from "@mine-refine/store";
import type { JudgeKind, TrainConfig } from "../config/schema.js";
import { writeAtomic } from "../run/run-directory.js";
import { loadConfiguredDataset, type PreparedData, prepareData } from "../stages/data.js";
import { gradeInBatches } from "../stages/labels.js";
import { createJudge } from "./create-judge.js";
import { cosineScorerFromCheckpoint, gradedPairsOf } from "./judge-pairs.js";

export interface JudgeEvalOptions {
  judge: JudgeKind;
  split: "dev" | "test";
  /**
   * Split the judge learns from. With a checkpoint, "dev" avoids a leak: Stage 1 was trained on the
   * train split, so its cosines there are higher than on unseen queries and the judge learns to
   * trust them too much.
   */
  trainSplit: "train" | "dev";
  /** Stage 1 `checkpoint/` folder whose cosine becomes a feature of the local judge. */
  checkpoint?: string;
  /** Also writes the Markdown report here. */
  out?: string;
}

/**
 * Trains or builds a judge on the labels of `trainSplit` and evaluates it against the labels of
 * `split` from the data source: 3-class accuracy, within-1 accuracy, quadratic kappa, the confusion
 * matrix, per-grade precision and recall, and the majority baseline. Returns the Markdown report.
 */
export async function runJudgeEval(config: TrainConfig, options: JudgeEvalOptions, logger: Logger): Promise<{ report: string; evaluation: JudgeEvaluation }> {
  if (options.trainSplit === options.split) {
    throw new MineRefineError("judge_split_overlap", `The judge would be trained and evaluated on the ${options.split} split. Choose different --train-split and --split values.`);
  }
  const prepared = await loadSourceData(config, logger);
  const trainPairs = gradedPairsOf(prepared, prepared.split[options.trainSplit]);
  const heldOut = gradedPairsOf(prepared, prepared.split[options.split]);
  const checkpoint = options.checkpoint ?? config.labels.local.checkpoint;
  const cosine = checkpoint === undefined ? undefined : await cosineScorerFromCheckpoint(checkpoint, [...trainPairs, ...heldOut], config.threads);

  const store = await openCacheStore(config, logger);
  try {
    // The human judge would look up the held-out labels themselves, so it gets the train split's only.
    const trainJudgments = trainPairs.map((pair) => ({ queryId: pair.queryId, productId: pair.productId, grade: pair.grade, rawLabel: String(pair.grade) }));
    const configured = createJudge(options.judge, config, { trainPairs, judgments: trainJudgments, cosine, store, logger });
    const results = await gradeInBatches(configured.judge, heldOut, () => {});
    const truth = new Map<string, Grade>(heldOut.map((pair) => [pairKey(pair.queryId, pair.productId), pair.grade]));
    const evaluation = evaluateJudge(results, truth);
    const lines = [
      `# Judge ${configured.judge.id} on the ${options.split} split of ${prepared.dataset.name}`,
      "",
      `Trained on ${trainPairs.length} pairs of ${prepared.split[options.trainSplit].length} ${options.trainSplit} queries; evaluated on ${heldOut.length} pairs of ${prepared.split[options.split].length} ${options.split} queries.`,
    ];
    if (checkpoint !== undefined) lines.push(`Two-tower cosine feature from ${checkpoint}.`);
    lines.push("", formatJudgeEvaluation(evaluation));
    const usage = configured.usage();
    if (usage !== undefined) {
      const cost = usage.costUsd === undefined ? "unknown (no pricing)" : `$${usage.costUsd.toFixed(4)}`;
      lines.push(`LLM requests ${usage.requests}, cache hits ${usage.cacheHits}, tokens ${usage.promptTokens} in and ${usage.completionTokens} out, cost ${cost}.`, "");
    }
    const report = lines.join("\n");
    if (options.out !== undefined) await writeAtomic(options.out, report);
    return { report, evaluation };
  } finally {
    await store?.close();
  }
}

/**
 * Writes chat-format fine-tuning JSONL (`train.jsonl`, `validation.jsonl`) from the train split's
 * labels, with a stratified validation share.
 */
export async function runJudgeExport(config: TrainConfig, outDir: string, validationFraction: number, logger: Logger): Promise<string> {
  const prepared = await loadSourceData(config, logger);
  const pairs = gradedPairsOf(prepared, prepared.split.train);
  const result = await exportFineTuningJsonl(pairs, { outDir: path.resolve(outDir), validationFraction, seed: config.seed });
  return `Wrote ${result.trainCounts.reduce((a, b) => a + b, 0)} examples to ${result.trainPath} and ${result.validationCounts.reduce((a, b) => a + b, 0)} to ${result.validationPath} (grades 0, 1, 2: train ${result.trainCounts.join(", ")}; validation ${result.validationCounts.join(", ")}).\n`;
}

/** Loads the configured data set with the source's labels and splits its queries as the data stage does. */
async function loadSourceData(config: TrainConfig, logger: Logger): Promise<PreparedData> {
  const dataset = await loadConfiguredDataset(config.data.source, logger);
  return prepareData(dataset, splitQueries(dataset, config.data.split));
}

/**
 * Opens the store for the LLM response cache when `store.url` is set. An embedded store belongs to
 * a run's process, so without a URL the LLM judge caches in `<runDir>/llm-cache.jsonl` instead.
 */
async function openCacheStore(config: TrainConfig, logger: Logger): Promise<Store | undefined> {
  if (!config.store.enabled || config.store.url === undefined) return undefined;
  return openStore({ url: config.store.url, logger });
}
