// Times the loaders on the public data: node bench/load-datasets.mjs (after `pnpm build`).
// The data folder comes from MINE_REFINE_DATA_DIR. Each loader runs `RUNS` times and the median wall
// time is printed.
import { join } from "node:path";
import { generateDemoCatalog, loadEsci, loadHomeDepot } from "../dist/index.js";

const RUNS = 5;
const dataDir = process.env.MINE_REFINE_DATA_DIR;
if (!dataDir) {
  console.error("Set MINE_REFINE_DATA_DIR to the folder that contains homedepot-kaggle/ and esci-us-vespa-sample/.");
  process.exit(1);
}

async function time(name, run) {
  const durationsMs = [];
  let size = "";
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const dataset = await run();
    durationsMs.push(performance.now() - start);
    size = `${dataset.products.length} products, ${dataset.queries.length} queries, ${dataset.judgments.length} judgments`;
  }
  durationsMs.sort((a, b) => a - b);
  console.log(`${name}: median ${durationsMs[Math.floor(RUNS / 2)].toFixed(0)} ms over ${RUNS} runs (${size})`);
}

await time("loadHomeDepot train.csv.zip", () => loadHomeDepot({ path: join(dataDir, "homedepot-kaggle", "train.csv.zip"), onConflict: "keep-first" }));
await time("loadEsci Vespa sample", () =>
  loadEsci({
    examplesPath: join(dataDir, "esci-us-vespa-sample", "test-sample.parquet"),
    productsPath: join(dataDir, "esci-us-vespa-sample", "sample-products.jsonl.zstd"),
  }),
);
await time("generateDemoCatalog defaults", async () => generateDemoCatalog());
