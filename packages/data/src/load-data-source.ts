import type { Dataset, Logger } from "@mine-refine/core";
import { type DemoCatalogOptions, generateDemoCatalog } from "./demo/catalog.js";
import { type EsciOptions, loadEsci } from "./esci.js";
import { type GenericOptions, loadGeneric } from "./generic.js";
import { type HomeDepotOptions, loadHomeDepot } from "./home-depot.js";

/**
 * A data source as written in a run config's `data.source` section: the adapter options tagged
 * with `kind`. The logger is passed separately.
 */
export type DataSourceOptions =
  | ({ kind: "demo" } & DemoCatalogOptions)
  | ({ kind: "homedepot" } & Omit<HomeDepotOptions, "logger">)
  | ({ kind: "esci" } & Omit<EsciOptions, "logger">)
  | ({ kind: "generic" } & Omit<GenericOptions, "logger">);

/**
 * Loads the data set of a config's data source with the matching adapter. Every adapter validates
 * its input and names the file and row on error.
 */
export async function loadDataSource(source: DataSourceOptions, logger?: Logger): Promise<Dataset> {
  switch (source.kind) {
    case "demo": {
      const { kind: _kind, ...options } = source;
      return generateDemoCatalog(options);
    }
    case "homedepot": {
      const { kind: _kind, ...options } = source;
      return loadHomeDepot({ ...options, ...(logger !== undefined && { logger }) });
    }
    case "esci": {
      const { kind: _kind, ...options } = source;
      return loadEsci({ ...options, ...(logger !== undefined && { logger }) });
    }
    case "generic": {
      const { kind: _kind, ...options } = source;
      return loadGeneric({ ...options, ...(logger !== undefined && { logger }) });
    }
  }
}
