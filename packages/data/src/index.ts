export type { ConflictPolicy } from "./dataset-builder.js";
export { type DemoCatalogOptions, generateDemoCatalog } from "./demo/catalog.js";
export { DEMO_LOCALES, type DemoLocale } from "./demo/vocabulary.js";
export { ESCI_DEFAULT_MAPPING, type EsciLabel, type EsciOptions, loadEsci } from "./esci.js";
export { GENERIC_DEFAULT_COLUMNS, type GenericColumns, type GenericOptions, loadGeneric } from "./generic.js";
export { gradeForRating, HOME_DEPOT_DEFAULT_THRESHOLDS, type HomeDepotOptions, type HomeDepotThresholds, loadHomeDepot } from "./home-depot.js";
export type { TextEncodingName } from "./read-input.js";
export { type SplitOptions, splitQueries, subsetDataset } from "./split.js";
export { type DatasetCounts, type DatasetStats, datasetStats, formatDatasetStats } from "./stats.js";
