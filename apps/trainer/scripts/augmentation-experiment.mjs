#!/usr/bin/env node
/**
 * Measures typo augmentation. It trains Stage 1 twice with one config and seed, without and with
 * additive typo copies of the training queries. Then it evaluates both models, and BM25 for
 * reference, on the clean test queries and on misspelled copies of them. The copies keep the
 * judgments of their clean query and are drawn with a seed that differs from the training typos' seed.
 *
 * Reports NDCG@10, Recall@100 and the adjacent-grade separation (probability that a grade-2 product
 * scores above a grade-1 product of the same query, and grade 1 above grade 0), with a paired
 * randomization test of NDCG@10 between the two models on each query set.
 *
 * Usage (build first with `pnpm turbo run build --filter @mine-refine/trainer...`):
 *   MINE_REFINE_DATA_DIR=/path/to/data node apps/trainer/scripts/augmentation-experiment.mjs \
 *     --config configs/homedepot.yaml --out runs/augmentation-experiment [--typo-ratio 1] \
 *     [--test-typo-seed 9001] [--synthetic] [--set stage1.epochs=5 ...]
 *
 * Each variant is a resumable run under --out, so a rerun only evaluates. Writes `results.json` and
 * `results.md` into --out.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { createTypoGenerator } from "@mine-refine/data";
import {
  adjacentSeparation,
  bm25System,
  buildQrels,
  compareSystems,
  judgedScoreGroups,
  runSystems,
  summarizeRun,
} from "@mine-refine/evaluation";
import { loadCheckpoint } from "@mine-refine/model";
import { OrtMatmul } from "@mine-refine/model/ort";
import { loadTrainConfig } from "../dist/config/load.js";
import { createCliLogger } from "../dist/log.js";
import { runPipeline } from "../dist/pipeline.js";
import { loadPreparedData } from "../dist/stages/data.js";
import { encoderSystem } from "../dist/stages/encoder.js";

const { values } = parseArgs({
  options: {
    config: { type: "string" },
    out: { type: "string" },
    "typo-ratio": { type: "string", default: "1" },
    "test-typo-seed": { type: "string", default: "9001" },
    synthetic: { type: "boolean", default: false },
    set: { type: "string", multiple: true, default: [] },
  },
});
if (values.config === undefined || values.out === undefined) {
  process.stderr.write("Missing option: pass --config FILE and --out FOLDER (see the usage at the top of this script).\n");
  process.exit(2);
}

const out = path.resolve(values.out);
const testTypoSeed = Number(values["test-typo-seed"]);
const logger = createCliLogger("info");

// The store would only keep a copy of the same human labels here, so it is off to keep the runs short.
const common = [...values.set, "store.enabled=false"];
const variants = [
  { name: "no-typos", overrides: [] },
  { name: "typos", overrides: ["augmentation.typos.enabled=true", `augmentation.typos.ratio=${values["typo-ratio"]}`] },
];
if (values.synthetic) {
  variants.push({ name: "synthetic", overrides: ["augmentation.synthetic.enabled=true", "augmentation.synthetic.judge=local"] });
}

const configs = [];
for (const variant of variants) {
  const config = await loadTrainConfig(values.config, [...common, ...variant.overrides, `runDir=${path.join(out, variant.name)}`]);
  if (config.augmentation.typos.enabled && (config.augmentation.typos.seed ?? config.seed) === testTypoSeed) {
    process.stderr.write(`The test typo seed ${testTypoSeed} equals the training typo seed. Pass another --test-typo-seed.\n`);
    process.exit(2);
  }
  const started = performance.now();
  await runPipeline(config, { logger, until: "stage1" });
  logger.log("info", `variant ${variant.name}: trained`, { seconds: (performance.now() - started) / 1000 });
  configs.push({ variant, config });
}

// Every variant splits the same data set with the same split seed, so the first run's data serves all.
const first = configs[0].config;
const clean = await loadPreparedData(first, path.join(first.runDir, "stages", "data"), logger);
const testQueries = clean.split.test.map((id) => clean.query(id));
const perturbed = createTypoGenerator().perturbQueries(testQueries, { seed: testTypoSeed, ratio: 1, copies: 1 });

const judgmentsByQuery = new Map();
for (const judgment of clean.dataset.judgments) {
  const list = judgmentsByQuery.get(judgment.queryId) ?? [];
  list.push(judgment);
  judgmentsByQuery.set(judgment.queryId, list);
}
const typoQueries = perturbed.map((copy) => ({ id: copy.id, text: copy.text, ...(copy.locale !== undefined && { locale: copy.locale }) }));
const typoJudgments = perturbed.flatMap((copy) => (judgmentsByQuery.get(copy.originalId) ?? []).map((judgment) => ({ ...judgment, queryId: copy.id })));
const dataset = {
  ...clean.dataset,
  queries: [...clean.dataset.queries, ...typoQueries],
  judgments: [...clean.dataset.judgments, ...typoJudgments],
};

const segments = [
  { name: "clean test queries", queryIds: testQueries.map((query) => query.id) },
  { name: "misspelled test queries", queryIds: typoQueries.map((query) => query.id) },
  { name: "clean originals of the misspelled", queryIds: perturbed.map((copy) => copy.originalId) },
];

const matmul = new OrtMatmul({ intraOpNumThreads: first.threads });
const ks = [10, 100];
const results = { testTypoSeed, typoRatio: Number(values["typo-ratio"]), perturbedShare: perturbed.length / testQueries.length, segments: [] };
try {
  const systems = [bm25System({ fields: first.model.productFields })];
  for (const { variant, config } of configs) {
    const checkpoint = await loadCheckpoint(path.join(config.runDir, "stages", "stage1", "checkpoint"), { matmul });
    systems.push(encoderSystem(variant.name, checkpoint.encoder));
  }
  const queries = [...testQueries, ...typoQueries];
  logger.log("info", "evaluating", { cleanQueries: testQueries.length, misspelledQueries: typoQueries.length, systems: systems.map((system) => system.name) });
  const runs = await runSystems(dataset, queries, systems, { maxK: Math.max(...ks) });

  for (const segment of segments) {
    const qrels = buildQrels(dataset, segment.queryIds);
    const queryIds = segment.queryIds.filter((id) => qrels.has(id));
    const rows = [];
    const ndcgByQuery = new Map();
    for (const run of runs) {
      const summary = summarizeRun(run, qrels, queryIds, ks);
      const separation = adjacentSeparation(judgedScoreGroups(run, qrels));
      rows.push({
        system: run.name,
        "ndcg@10": summary.means["ndcg@10"],
        "recall@100": summary.means["recall@100"],
        "sep2>1": separation[0]?.withinQueryMean ?? null,
        "sep1>0": separation[1]?.withinQueryMean ?? null,
      });
      if (run.name !== "bm25") ndcgByQuery.set(run.name, new Map(queryIds.map((id, q) => [id, summary.perQuery["ndcg@10"][q] ?? null])));
    }
    // Later variants first, so each row reads "augmented minus plain".
    const comparisons = compareSystems(new Map([...ndcgByQuery].reverse()), { seed: first.seed, samples: 10_000 });
    results.segments.push({ name: segment.name, queries: queryIds.length, rows, comparisons });
  }
} finally {
  await matmul.dispose();
}

await mkdir(out, { recursive: true });
await writeFile(path.join(out, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
const markdown = renderMarkdown(results);
await writeFile(path.join(out, "results.md"), markdown);
process.stdout.write(markdown);
await logger.flush();

function renderMarkdown(report) {
  const format = (value) => (value === null || value === undefined ? "n/a" : value.toFixed(4));
  const lines = [];
  for (const segment of report.segments) {
    lines.push(`### ${segment.name} (${segment.queries} queries)`, "");
    lines.push("| system | NDCG@10 | Recall@100 | P(2 > 1) | P(1 > 0) |", "|---|---|---|---|---|");
    for (const row of segment.rows) {
      lines.push(`| ${row.system} | ${format(row["ndcg@10"])} | ${format(row["recall@100"])} | ${format(row["sep2>1"])} | ${format(row["sep1>0"])} |`);
    }
    lines.push("");
    for (const comparison of segment.comparisons) {
      lines.push(
        `NDCG@10 ${comparison.systemA} − ${comparison.systemB}: ${comparison.meanDifference.toFixed(4)} ` +
          `(95% CI ${comparison.ciLower.toFixed(4)} to ${comparison.ciUpper.toFixed(4)}), randomization p = ${comparison.pValue.toFixed(4)}, ` +
          `Holm p = ${comparison.pValueHolm.toFixed(4)}, ${comparison.queries} queries.`,
      );
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}
