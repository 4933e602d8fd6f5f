// A separate process for the store tests that kill or race importers. It imports the built
// package, so run `pnpm --filter @mine-refine/store build` first (the test script does).
//
//   node scripts/import-child.mjs import DATASET_JSON BATCH_SIZE [DIRECTORY]
//   node scripts/import-child.mjs open DIRECTORY
//
// Without DIRECTORY the store URL comes from MINE_REFINE_PG_URL, which keeps the password out of
// the process list. Each event is one JSON line on stdout: `batch` after every committed
// judgment batch, then `done` with the counts, or `error` with the StoreError code.
import { readFileSync } from "node:fs";
import { openStore } from "../dist/index.js";

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const [mode, ...args] = process.argv.slice(2);
try {
  if (mode === "import") {
    const [datasetFile, batchSize, directory] = args;
    const dataset = JSON.parse(readFileSync(datasetFile, "utf8"));
    const store = await openStore(directory === undefined ? { url: process.env.MINE_REFINE_PG_URL } : { directory });
    const counts = await store.importDataset(dataset, {
      source: "human",
      batchSize: Number(batchSize),
      progress: (event) => {
        if (event.task === "import judgments" && event.done > 0) emit({ event: "batch", done: event.done });
      },
    });
    await store.close();
    emit({ event: "done", counts });
  } else if (mode === "open") {
    const store = await openStore({ directory: args[0] });
    await store.close();
    emit({ event: "done" });
  } else {
    throw new Error(`Unknown mode "${mode}"; expected import or open.`);
  }
} catch (error) {
  emit({ event: "error", code: error.code, message: error.message });
  process.exitCode = 1;
}
