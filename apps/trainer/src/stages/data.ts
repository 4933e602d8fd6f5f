import path from "node:path";
import { type Dataset, InternalError, type Logger, type Product, type Query, type QuerySplit } from "@mine-refine/core";
import { type DataSourceOptions, datasetStats, formatDatasetStats, loadDataSource, splitQueries } from "@mine-refine/data";
import type { Store } from "@mine-refine/store";
import type { DataSourceConfig, TrainConfig } from "../config/schema.js";
import { importAndReload, reloadFromStore } from "../store/run-store.js";
import { readJson, writeAtomic } from "../run/run-directory.js";
import type { StageContext } from "./stage.js";

/** Loads the configured data set. Every adapter validates its input and names the file and row on error. */
export async function loadConfiguredDataset(source: DataSourceConfig, logger: Logger): Promise<Dataset> {
  return loadDataSource(source as DataSourceOptions, logger);
}

/** Everything later stages need from the data stage: the data set and its query split. */
export interface PreparedData {
  dataset: Dataset;
  split: QuerySplit;
  /** Returns a product by id; an unknown id is a broken invariant of the data set. */
  product(productId: string): Product;
  query(queryId: string): Query;
}

/** Adds id lookups to a data set and its split. */
export function prepareData(dataset: Dataset, split: QuerySplit): PreparedData {
  const products = new Map(dataset.products.map((product) => [product.id, product]));
  const queries = new Map(dataset.queries.map((query) => [query.id, query]));
  return {
    dataset,
    split,
    product(productId) {
      const product = products.get(productId);
      if (product === undefined) throw new InternalError(`judged product "${productId}" is not in the catalog of ${dataset.name}`);
      return product;
    },
    query(queryId) {
      const query = queries.get(queryId);
      if (query === undefined) throw new InternalError(`query "${queryId}" is not in ${dataset.name}`);
      return query;
    },
  };
}

/**
 * Loads the data set, splits its queries and writes `split.json`, `stats.json` and `stats.txt`. With
 * the store on, the data set goes through the store and its labels are the store's latest judgments.
 */
export async function runDataStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const source = await loadConfiguredDataset(config.data.source, logger);
  const split = splitQueries(source, config.data.split);
  const store = await context.store();
  const dataset = store === undefined ? source : await importAndReload(store, source, config, logger, context.progress);
  const stats = datasetStats(dataset, split);
  await writeAtomic(path.join(dir, "split.json"), `${JSON.stringify(split)}\n`);
  await writeAtomic(path.join(dir, "stats.json"), `${JSON.stringify(stats, null, 2)}\n`);
  const table = formatDatasetStats(stats);
  await writeAtomic(path.join(dir, "stats.txt"), `${table}\n`);
  logger.log("info", `data set ${dataset.name}\n${table}`);
  context.setData(prepareData(dataset, split));
}

/** Reloads the data set and the split written by a finished data stage, from the store when one is given. */
export async function loadPreparedData(config: TrainConfig, dataStageDir: string, logger: Logger, store?: Store): Promise<PreparedData> {
  const source = await loadConfiguredDataset(config.data.source, logger);
  const dataset = store === undefined ? source : await reloadFromStore(store, config.store.dataset ?? source.name, config, logger);
  const split = await readJson<QuerySplit>(path.join(dataStageDir, "split.json"));
  return prepareData(dataset, split);
}
