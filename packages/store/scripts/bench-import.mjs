// Measures how fast the store imports the Home Depot training set into a fresh embedded PGlite
// directory and, when MINE_REFINE_PG_URL is set, into PostgreSQL. The file has 74,067 rows, and the
// loader keeps the first of each repeated (query, product) pair, which leaves 74,062 judgments.
// Each backend then imports the dataset again to time the all-skipped path and reads it back with
// loadDataset.
//
//   pnpm --filter @mine-refine/store bench:import [-- --batch-size 1000]
//
// Needs MINE_REFINE_DATA_DIR (the folder containing homedepot-kaggle/) and the built store and
// data packages. Each PostgreSQL run writes the dataset under a new name, homedepot-bench-<time>,
// so that it measures inserts rather than skips; use a throwaway database.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadHomeDepot } from "@mine-refine/data";
import { openStore } from "../dist/index.js";

const { values } = parseArgs({ options: { "batch-size": { type: "string", default: "1000" } } });
const batchSize = Number(values["batch-size"]);

const dataDir = process.env.MINE_REFINE_DATA_DIR;
if (dataDir === undefined) {
  console.error("Set MINE_REFINE_DATA_DIR to the folder that contains homedepot-kaggle/train.csv.zip.");
  process.exit(2);
}

function seconds(startMs) {
  return (performance.now() - startMs) / 1000;
}

function rowCount(dataset) {
  return dataset.products.length + dataset.queries.length + dataset.judgments.length;
}

async function bench(label, options, dataset) {
  const store = await openStore(options);
  try {
    let start = performance.now();
    const first = await store.importDataset(dataset, { source: "human", batchSize });
    const firstSeconds = seconds(start);
    start = performance.now();
    const second = await store.importDataset(dataset, { source: "human", batchSize });
    const secondSeconds = seconds(start);
    const rows = rowCount(dataset);
    console.log(
      `${label}: first import ${firstSeconds.toFixed(1)} s, ${Math.round(rows / firstSeconds)} rows/s ` +
        `(${Math.round(dataset.judgments.length / firstSeconds)} judgments/s); inserted ` +
        `${first.products.inserted} products, ${first.queries.inserted} queries, ${first.judgments.inserted} judgments`,
    );
    console.log(
      `${label}: second import ${secondSeconds.toFixed(1)} s, ${Math.round(rows / secondSeconds)} rows/s; ` +
        `inserted ${second.products.inserted + second.queries.inserted + second.judgments.inserted}, ` +
        `skipped ${second.products.skipped + second.queries.skipped + second.judgments.skipped}`,
    );
    start = performance.now();
    const loaded = await store.loadDataset(dataset.name);
    console.log(
      `${label}: loadDataset ${seconds(start).toFixed(1)} s for ${loaded.products.length} products, ` +
        `${loaded.queries.length} queries, ${loaded.judgments.length} judgments`,
    );
  } finally {
    await store.close();
  }
}

const cpu = cpus();
console.log(
  `Node ${process.version}, ${cpu.length} x ${cpu[0]?.model ?? "unknown CPU"}, load average ${loadavg()[0].toFixed(1)}, batch size ${batchSize}`,
);

let start = performance.now();
const homeDepot = await loadHomeDepot({ path: join(dataDir, "homedepot-kaggle", "train.csv.zip"), onConflict: "keep-first" });
console.log(
  `Loaded Home Depot in ${seconds(start).toFixed(1)} s: ${homeDepot.products.length} products, ` +
    `${homeDepot.queries.length} queries, ${homeDepot.judgments.length} judgments`,
);

const directory = mkdtempSync(join(tmpdir(), "mine-refine-bench-"));
try {
  start = performance.now();
  const opened = await openStore({ directory });
  await opened.close();
  console.log(`PGlite: creating the directory took ${seconds(start).toFixed(1)} s (not counted below)`);
  await bench("PGlite", { directory }, homeDepot);
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const url = process.env.MINE_REFINE_PG_URL;
if (url === undefined) {
  console.log("PostgreSQL: skipped; set MINE_REFINE_PG_URL to include it.");
} else {
  await bench("PostgreSQL", { url }, { ...homeDepot, name: `homedepot-bench-${Date.now()}` });
}
