import { existsSync } from "node:fs";
import path from "node:path";
import type { TrainConfig } from "./config/schema.js";
import { type CliLogger, createProgressRenderer } from "./log.js";
import { RunDirectory, readJson } from "./run/run-directory.js";
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
      prepared ??= await reloadData(config, run, logger);
      return prepared;
    },
    setData(next) {
      prepared = next;
    },
  };

  logger.log("info", `run ${config.name} in ${run.root}`);
  for (const stage of STAGE_DEFINITIONS) {
    if (stage.enabled !== undefined && !stage.enabled(config)) {
      logger.log("debug", `stage ${stage.name}: turned off by the config`);
    } else if (run.isComplete(stage.name)) {
      logger.log("info", `stage ${stage.name}: already complete, skipped`);
    } else {
      const started = performance.now();
      logger.log("info", `stage ${stage.name}: started (${stage.description})`);
      await run.runStage(stage.name, (dir) => stage.run(context, dir));
      progress.stop();
      const seconds = (performance.now() - started) / 1000;
      logger.log("info", `stage ${stage.name}: complete`, { seconds });
      await recordStageTime(run, stage.name, seconds);
    }
    if (options.until === stage.name) break;
  }
}

/** Reloads the data of a finished data stage and replays the changes of finished data-changing stages. */
async function reloadData(config: TrainConfig, run: RunDirectory, logger: CliLogger): Promise<PreparedData> {
  let prepared = await loadPreparedData(config, run.stageDir("data"), logger);
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
