import type { Logger } from "@mine-refine/core";
import { datasetStats, formatDatasetStats, splitQueries } from "@mine-refine/data";
import type { TrainConfig } from "./config/schema.js";
import { loadConfiguredDataset } from "./stages/data.js";

/** Prints the configured data set's counts by split and grade without creating a run. */
export async function runStats(config: TrainConfig, logger: Logger): Promise<void> {
  const dataset = await loadConfiguredDataset(config.data.source, logger);
  const split = splitQueries(dataset, config.data.split);
  logger.log("info", `data set ${dataset.name}`);
  process.stdout.write(`${formatDatasetStats(datasetStats(dataset, split))}\n`);
}
