import path from "node:path";
import type { Dataset, Grade, Logger, QuerySplit } from "@mine-refine/core";
import { datasetStats, formatDatasetStats, generateDemoCatalog, loadEsci, loadGeneric, loadHomeDepot, splitQueries } from "@mine-refine/data";
import type { DataSourceConfig, TrainConfig } from "../config/schema.js";
import { readJson, writeAtomic } from "../run/run-directory.js";

/** Loads the configured data set. Every adapter validates its input and names the file and row on error. */
export async function loadConfiguredDataset(source: DataSourceConfig): Promise<Dataset> {
  switch (source.kind) {
    case "demo":
      return generateDemoCatalog({ seed: source.seed, products: source.products, queriesPerLocale: source.queriesPerLocale });
    case "homedepot":
      return loadHomeDepot({ path: source.path, encoding: source.encoding, thresholds: source.thresholds });
    case "esci":
      return loadEsci({
        examplesPath: source.examplesPath,
        productsPath: source.productsPath,
        locale: source.locale,
        split: source.split,
        smallVersion: source.smallVersion,
        mapping: source.mapping as Record<"E" | "S" | "C" | "I", Grade> | undefined,
      });
    case "generic":
      return loadGeneric({ path: source.path, productFields: source.productFields });
  }
}

/** Everything later stages need from the data stage: the data set and its query split. */
export interface PreparedData {
  dataset: Dataset;
  split: QuerySplit;
}

/** Loads the data set, splits its queries and writes `split.json`, `stats.json` and `stats.txt`. */
export async function runDataStage(config: TrainConfig, dir: string, logger: Logger): Promise<PreparedData> {
  const dataset = await loadConfiguredDataset(config.data.source);
  const split = splitQueries(dataset, config.data.split);
  const stats = datasetStats(dataset, split);
  await writeAtomic(path.join(dir, "split.json"), `${JSON.stringify(split)}\n`);
  await writeAtomic(path.join(dir, "stats.json"), `${JSON.stringify(stats, null, 2)}\n`);
  const table = formatDatasetStats(stats);
  await writeAtomic(path.join(dir, "stats.txt"), `${table}\n`);
  logger.log("info", `data set ${dataset.name}\n${table}`);
  return { dataset, split };
}

/** Reloads the data set and the split written by a finished data stage. */
export async function loadPreparedData(config: TrainConfig, dataStageDir: string): Promise<PreparedData> {
  const dataset = await loadConfiguredDataset(config.data.source);
  const split = await readJson<QuerySplit>(path.join(dataStageDir, "split.json"));
  return { dataset, split };
}
