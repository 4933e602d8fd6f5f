import path from "node:path";
import { InternalError, type Judgment, type Logger } from "@mine-refine/core";
import {
  CascadeJudge,
  type CosineScorer,
  type GradedPair,
  HumanLabelJudge,
  type Judge,
  type JudgeCache,
  type JudgeUsage,
  JsonlJudgeCache,
  LocalJudge,
  OpenAiCompatibleJudge,
} from "@mine-refine/labeling";
import type { Store } from "@mine-refine/store";
import type { JudgeKind, TrainConfig } from "../config/schema.js";
import { StoreJudgeCache } from "../store/store-judge-cache.js";

/** A judge built from the config, with the id of its LLM part for provenance and its usage. */
export interface ConfiguredJudge {
  judge: Judge;
  /** Id of the LLM judge inside it; results with this id are stored with source `llm`. */
  llmJudgeId: string | undefined;
  /** Requests, cache hits, tokens and cost of the LLM part; undefined without one. */
  usage(): JudgeUsage | undefined;
}

export interface JudgeInputs {
  /** Human-graded pairs of the train split: the local judge's training data. */
  trainPairs: readonly GradedPair[];
  /** Current labels, which the `human` judge returns. */
  judgments: readonly Judgment[];
  /** Two-tower cosine feature of the local judge, from `labels.local.checkpoint`. */
  cosine?: CosineScorer;
  /** Caches LLM responses in the store; without it they go to `<runDir>/llm-cache.jsonl`. */
  store?: Store;
  logger: Logger;
}

/** Builds the judge `kind` from the `labels` section of the config. */
export function createJudge(kind: JudgeKind, config: TrainConfig, inputs: JudgeInputs): ConfiguredJudge {
  switch (kind) {
    case "human":
      return { judge: new HumanLabelJudge(inputs.judgments), llmJudgeId: undefined, usage: () => undefined };
    case "local":
      return { judge: trainLocalJudge(config, inputs), llmJudgeId: undefined, usage: () => undefined };
    case "llm": {
      const llm = createLlmJudge(config, inputs);
      return { judge: llm, llmJudgeId: llm.id, usage: () => llm.usage() };
    }
    case "cascade": {
      const llm = createLlmJudge(config, inputs);
      const cascade = new CascadeJudge(trainLocalJudge(config, inputs), llm, { minConfidence: config.labels.cascade.minConfidence });
      return { judge: cascade, llmJudgeId: llm.id, usage: () => llm.usage() };
    }
  }
}

function trainLocalJudge(config: TrainConfig, inputs: JudgeInputs): LocalJudge {
  const local = config.labels.local;
  const judge = LocalJudge.train(inputs.trainPairs, {
    id: inputs.cosine === undefined ? "local" : "local+cosine",
    epochs: local.epochs,
    learningRate: local.learningRate,
    l2: local.l2,
    batchSize: local.batchSize,
    seed: local.seed,
    maxBrands: local.maxBrands,
    cosine: inputs.cosine,
  });
  inputs.logger.log("info", "judge: trained the local judge", { pairs: inputs.trainPairs.length, features: judge.features.length });
  return judge;
}

function createLlmJudge(config: TrainConfig, inputs: JudgeInputs): OpenAiCompatibleJudge {
  const llm = config.labels.llm;
  if (llm === undefined) throw new InternalError("the config schema requires labels.llm for the llm and cascade judges");
  const id = `openai-compatible:${llm.model}`;
  const cache: JudgeCache =
    inputs.store === undefined ? new JsonlJudgeCache(path.join(config.runDir, "llm-cache.jsonl")) : new StoreJudgeCache(inputs.store, id, llm.pricing);
  return new OpenAiCompatibleJudge({
    baseUrl: llm.baseUrl,
    model: llm.model,
    apiKeyEnv: llm.apiKeyEnv,
    concurrency: llm.concurrency,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    pricing: llm.pricing,
    cache,
    logger: inputs.logger,
    id,
  });
}
