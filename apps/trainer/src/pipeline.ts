import path from "node:path";
import type { Logger } from "@mine-refine/core";
import type { TrainConfig } from "./config/schema.js";
import { createProgressRenderer, type CliLogger } from "./log.js";
import { existsSync } from "node:fs";
import { readJson, RunDirectory } from "./run/run-directory.js";
import { loadPreparedData, type PreparedData, runDataStage } from "./stages/data.js";
import { runEvaluateStage } from "./stages/evaluate.js";
import { runStage1 } from "./stages/stage1.js";

/** Stages in the order they run. Each one's folder appears under `stages/` only once it is complete. */
export const STAGES = ["data", "stage1", "evaluate"] as const;
export type StageName = (typeof STAGES)[number];

export interface PipelineOptions {
  logger: CliLogger;
  restart?: boolean;
  until?: string;
}

/** Shared state of one pipeline process; the data set is loaded once and reused by later stages. */
export interface StageContext {
  config: TrainConfig;
  run: RunDirectory;
  logger: Logger;
  progress: ReturnType<typeof createProgressRenderer>;
  data(): Promise<PreparedData>;
}

/** Runs every stage that is not complete yet, in order, and records timings in `metrics.json`. */
export async function runPipeline(config: TrainConfig, options: PipelineOptions): Promise<void> {
  const run = await RunDirectory.open(config.runDir, config, { restart: options.restart });
  options.logger.attachFile(path.join(run.root, "logs", "train.log"));
  const logger = options.logger;
  const progress = createProgressRenderer();

  let prepared: PreparedData | undefined;
  const context: StageContext = {
    config,
    run,
    logger,
    progress,
    async data() {
      prepared ??= await loadPreparedData(config, run.stageDir("data"), logger);
      return prepared;
    },
  };

  logger.log("info", `run ${config.name} in ${run.root}`);
  for (const stage of STAGES) {
    if (run.isComplete(stage)) {
      logger.log("info", `stage ${stage}: already complete, skipped`);
    } else {
      const started = performance.now();
      logger.log("info", `stage ${stage}: started`);
      await run.runStage(stage, async (dir) => {
        if (stage === "data") prepared = await runDataStage(config, dir, logger);
        else if (stage === "stage1") await runStage1(context, dir);
        else await runEvaluateStage(context, dir);
      });
      progress.stop();
      const seconds = (performance.now() - started) / 1000;
      logger.log("info", `stage ${stage}: complete`, { seconds });
      await recordStageTime(run, stage, seconds);
    }
    if (options.until === stage) break;
  }
}

async function recordStageTime(run: RunDirectory, stage: string, seconds: number): Promise<void> {
  const file = path.join(run.root, "timings.json");
  const timings = existsSync(file) ? await readJson<Record<string, number>>(file) : {};
  timings[stage] = seconds;
  await run.writeJson("timings.json", timings);
}
