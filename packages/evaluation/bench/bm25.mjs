// Measures Bm25Index on the Home Depot product titles: index build time and search latency.
// Needs MINE_REFINE_DATA_DIR (the folder containing homedepot-kaggle/) and the unzip command.
// Build first: pnpm --filter @mine-refine/evaluation build. Usage: node bench/bm25.mjs
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { Bm25Index } from "../dist/index.js";

const dataDir = process.env.MINE_REFINE_DATA_DIR;
if (!dataDir) {
  console.error("Set MINE_REFINE_DATA_DIR to the folder that contains homedepot-kaggle/");
  process.exit(1);
}
const zipPath = join(dataDir, "homedepot-kaggle", "train.csv.zip");
const csv = execFileSync("unzip", ["-p", zipPath, "train.csv"], { maxBuffer: 64 * 1024 * 1024 }).toString("latin1");

// Columns: id, product_uid, product_title, search_term, relevance; fields may be quoted with "" escapes.
function parseCsvRows(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n") {
      row.push(field.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field.length > 0 || row.length > 0) rows.push([...row, field]);
  return rows;
}

const rows = parseCsvRows(csv).slice(1);
const titleByProduct = new Map();
const queries = new Set();
for (const [, productUid, title, searchTerm] of rows) {
  titleByProduct.set(productUid, title);
  queries.add(searchTerm);
}
const titles = [...titleByProduct.values()];
const queryList = [...queries];

let startMs = performance.now();
const index = new Bm25Index(titles);
const buildMs = performance.now() - startMs;

const k = 100;
startMs = performance.now();
for (const query of queryList) index.search(query, k);
const searchMs = performance.now() - startMs;

console.log(
  `Bm25Index over ${titles.length} titles (${index.vocabularySize} terms): build ${buildMs.toFixed(0)} ms; ` +
    `${queryList.length} queries at k ${k}: ${(searchMs / queryList.length).toFixed(2)} ms per query, node ${process.version}`,
);
