import { existsSync } from "node:fs";
import path from "node:path";
import type { Store } from "@mine-refine/store";
import type { TrainConfig } from "./config/schema.js";
import { type CliLogger, createProgressRenderer } from "./log.js";
import { RunDirectory, readJson } from "./run/run-directory.js";
import { RunRecorder } from "./store/run-record.js";
import { openRunStore, redactConfig } from "./store/run-store.js";
import { loadPreparedData, type PreparedData } from "./stages/data.js";
import { STAGE_DEFINITIONS } from "./stages/registry.js";
import type { StageContext } from "./stages/stage.js";

export { STAGES } from "./stages/registry.js";

export interface PipelineOptions {
  logger: CliLogger;
  restart?: boolean;
  until?: string;
}

/** Runs every enabled stage that is not complete yet, in order, and records stage times in `timings.json`. */
export async function runPipeline(config: TrainConfig, options: PipelineOptions): Promise<void> {
  const run = await RunDirectory.open(config.runDir, redactConfig(config), { restart: options.restart });
  options.logger.attachFile(path.join(run.root, "logs", "train.log"));
  const logger = options.logger;
  const progress = createProgressRenderer();

  const store = await openRunStore(config, run.root, logger);
  let prepared: PreparedData | undefined;
  const context: StageContext = {
    config,
    run,
    logger,
    progress,
    async data() {
      prepared ??= await reloadData(config, run, logger, store);
      return prepared;
    },
    setData(next) {
      prepared = next;
    },
    async store() {
      return store;
    },
  };

  try {
    const recorder = await RunRecorder.start(store, config, run.root, logger);
    try {
      await runStages(context, recorder, options);
    } catch (error) {
      await recorder.failed(error);
      throw error;
    }
    await recorder.succeeded();
  } finally {
    await store?.close();
  }
}

async function runStages(context: StageContext, recorder: RunRecorder, options: PipelineOptions): Promise<void> {
  const { config, run, logger, progress } = context;

  logger.log("info", `run ${config.name} in ${run.root}`);
  for (const stage of STAGE_DEFINITIONS) {
    if (stage.enabled !== undefined && !stage.enabled(config)) {
      logger.log("debug", `stage ${stage.name}: turned off by the config`);
    } else if (run.isComplete(stage.name)) {
      logger.log("info", `stage ${stage.name}: already complete, skipped`);
      await recorder.stageAlreadyComplete(stage.name);
    } else {
      const started = performance.now();
      const startedAt = new Date();
      logger.log("info", `stage ${stage.name}: started (${stage.description})`);
      await recorder.stageStarted(stage.name);
      try {
        await run.runStage(stage.name, (dir) => stage.run(context, dir));
      } catch (error) {
        await recorder.stageFailed(stage.name, startedAt);
        throw error;
      }
      progress.stop();
      const seconds = (performance.now() - started) / 1000;
      logger.log("info", `stage ${stage.name}: complete`, { seconds });
      await recorder.stageFinished(stage.name, startedAt);
      await recordStageTime(run, stage.name, seconds);
    }
    if (options.until === stage.name) break;
  }
}

/** Reloads the data of a finished data stage and replays the changes of finished data-changing stages. */
async function reloadData(config: TrainConfig, run: RunDirectory, logger: CliLogger, store: Store | undefined): Promise<PreparedData> {
  let prepared = await loadPreparedData(config, run.stageDir("data"), logger, store);
  for (const stage of STAGE_DEFINITIONS) {
    if (stage.restore === undefined || !run.isComplete(stage.name)) continue;
    if (stage.enabled !== undefined && !stage.enabled(config)) continue;
    prepared = await stage.restore(prepared, run.stageDir(stage.name), config);
  }
  return prepared;
}

async function recordStageTime(run: RunDirectory, stage: string, seconds: number): Promise<void> {
  const file = path.join(run.root, "timings.json");
  const timings = existsSync(file) ? await readJson<Record<string, number>>(file) : {};
  timings[stage] = seconds;
  await run.writeJson("timings.json", timings);
}
