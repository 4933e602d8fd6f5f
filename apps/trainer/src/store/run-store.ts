import path from "node:path";
import { type Dataset, type Logger, MineRefineError, type ProgressCallback } from "@mine-refine/core";
import { maskUrlPasswords, openStore, type Store } from "@mine-refine/store";
import type { TrainConfig } from "../config/schema.js";

/**
 * Opens the run's store: PostgreSQL at `store.url`, otherwise embedded PGlite in `store.directory`
 * or in `store/` inside the run folder. Returns undefined when `store.enabled` is false.
 */
export async function openRunStore(config: TrainConfig, runRoot: string, logger: Logger): Promise<Store | undefined> {
  if (!config.store.enabled) return undefined;
  const store =
    config.store.url !== undefined
      ? await openStore({ url: config.store.url, logger })
      : await openStore({ directory: config.store.directory ?? path.join(runRoot, "store"), logger });
  logger.log("info", "store opened", { backend: store.backend, location: store.location });
  return store;
}

/**
 * Returns a copy of the config with URL passwords replaced by `***`, for `config.json` and the run
 * record. A `${VAR}` in `store.url` is expanded when the config loads, so the resolved URL would
 * otherwise carry the password.
 */
export function redactConfig(config: TrainConfig): TrainConfig {
  return JSON.parse(maskUrlPasswords(JSON.stringify(config))) as TrainConfig;
}

/**
 * Imports the data set's products, queries and judgments into the store as `human` judgments
 * (rows already stored are skipped), then reads the data set back with the latest judgment of each
 * pair, so judge, audit and expert judgments in the store take precedence over the source's labels.
 */
export async function importAndReload(store: Store, dataset: Dataset, config: TrainConfig, logger: Logger, progress: ProgressCallback): Promise<Dataset> {
  const name = config.store.dataset ?? dataset.name;
  const counts = await store.importDataset({ ...dataset, name }, { source: "human", progress });
  logger.log("info", "data: imported into the store", {
    dataset: name,
    productsAdded: counts.products.inserted,
    queriesAdded: counts.queries.inserted,
    judgmentsAdded: counts.judgments.inserted,
    judgmentsAlreadyStored: counts.judgments.skipped,
  });
  return reloadFromStore(store, name, config, logger);
}

/** Reads a stored data set with the latest judgment of each pair among `store.sources`. */
export async function reloadFromStore(store: Store, name: string, config: TrainConfig, logger: Logger): Promise<Dataset> {
  const dataset = await store.loadDataset(name, config.store.sources === undefined ? {} : { sources: config.store.sources });
  if (dataset.products.length === 0 || dataset.judgments.length === 0) {
    throw new MineRefineError(
      "store_dataset_missing",
      `The store at ${store.location} has no data set "${name}" (${dataset.products.length} products, ${dataset.judgments.length} judgments), but the run's data stage is complete. ` +
        "The store was probably deleted or replaced: rerun with --restart to import the data again, or point store.url / store.directory at the store this run used.",
    );
  }
  logger.log("info", "data: labels read from the store", {
    dataset: name,
    products: dataset.products.length,
    queries: dataset.queries.length,
    judgments: dataset.judgments.length,
  });
  return dataset;
}
