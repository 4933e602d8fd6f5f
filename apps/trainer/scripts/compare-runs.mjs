// Per-query NDCG@10 of the Stage 1 systems of several finished runs, compared pairwise with a paired
// randomization test and a paired bootstrap interval (10,000 samples, seed 1). Reads each run's
// stages/evaluate/trec/stage1.run and the first run's qrels.txt.
//
//   node apps/trainer/scripts/compare-runs.mjs runs/noise-clean runs/noise-flipped runs/noise-audited
import { readFileSync } from "node:fs";
import path from "node:path";
import { ndcgAtK, pairedBootstrap, pairedRandomizationTest } from "@mine-refine/evaluation";

const runs = process.argv.slice(2);
if (runs.length < 2) {
  process.stderr.write("Usage: node compare-runs.mjs RUN_DIR RUN_DIR [RUN_DIR ...]\n");
  process.exit(2);
}

/** Reads TREC qrels (`query 0 product grade`) into query id → product id → grade. */
function readQrels(file) {
  const qrels = new Map();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [queryId, , productId, grade] = line.trim().split(/\s+/);
    if (queryId === undefined || grade === undefined) continue;
    if (!qrels.has(queryId)) qrels.set(queryId, new Map());
    qrels.get(queryId).set(productId, Number(grade));
  }
  return qrels;
}

/** Reads a TREC run (`query Q0 product rank score name`) into query id → product ids by rank. */
function readRun(file) {
  const rows = new Map();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [queryId, , productId, rank] = line.trim().split(/\s+/);
    if (queryId === undefined || rank === undefined) continue;
    if (!rows.has(queryId)) rows.set(queryId, []);
    rows.get(queryId).push([Number(rank), productId]);
  }
  return new Map([...rows].map(([queryId, ranked]) => [queryId, ranked.sort((a, b) => a[0] - b[0]).map(([, id]) => id)]));
}

const trec = (run) => path.join(run, "stages", "evaluate", "trec");
const qrels = readQrels(path.join(trec(runs[0]), "qrels.txt"));
const queryIds = [...qrels.keys()].sort();
const scores = runs.map((run) => {
  const ranking = readRun(path.join(trec(run), "stage1.run"));
  return queryIds.map((queryId) => ndcgAtK(ranking.get(queryId) ?? [], qrels.get(queryId), 10));
});
// Queries without a positive grade have no NDCG, so they are left out of every run alike.
const kept = queryIds.map((_, i) => i).filter((i) => scores.every((values) => values[i] !== null));
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

console.log(`| run | NDCG@10 (${kept.length} queries) |\n|---|---|`);
runs.forEach((run, r) => console.log(`| ${path.basename(run)} | ${mean(kept.map((i) => scores[r][i])).toFixed(4)} |`));
console.log("\n| a − b | mean difference | 95% bootstrap interval | randomization p |\n|---|---|---|---|");
for (let a = 0; a < runs.length; a++) {
  for (let b = a + 1; b < runs.length; b++) {
    const x = kept.map((i) => scores[a][i]);
    const y = kept.map((i) => scores[b][i]);
    const interval = pairedBootstrap(x, y, { seed: 1 });
    const test = pairedRandomizationTest(x, y, { seed: 1 });
    console.log(`| ${path.basename(runs[a])} − ${path.basename(runs[b])} | ${interval.meanDifference.toFixed(4)} | [${interval.lower.toFixed(4)}, ${interval.upper.toFixed(4)}] | ${test.pValue.toFixed(3)} |`);
  }
}
