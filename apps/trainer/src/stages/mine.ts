import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import path from "node:path";
import type { Grade } from "@mine-refine/core";
import { type QueryNeighbours, selectHardPairs } from "@mine-refine/mining";
import { ProductVectorTable } from "@mine-refine/mining/lancedb";
import { writeAtomic } from "../run/run-directory.js";
import { loadStage1Encoder, VECTOR_TABLE } from "./index-stage.js";
import type { StageContext } from "./stage.js";

/**
 * Mines hard pairs for every training query: its nearest products in the Stage 1 index, filtered by
 * rank window, score margin and a per-query cap into candidates for the judge, plus known relevant
 * products the model ranks low (hard positives). Queries stream in batches, so memory stays at
 * batch × k neighbours. Writes `candidates.jsonl`, `hard-positives.jsonl` and `mining.json`.
 */
export async function runMineStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const settings = config.stage2.mining;
  const prepared = await context.data();
  const { dataset, split } = prepared;
  const trainIds = new Set(split.train);
  const judged = new Map<string, Map<string, Grade>>();
  for (const judgment of dataset.judgments) {
    if (!trainIds.has(judgment.queryId)) continue;
    let row = judged.get(judgment.queryId);
    if (row === undefined) {
      row = new Map();
      judged.set(judgment.queryId, row);
    }
    row.set(judgment.productId, judgment.grade);
  }
  const queryIds = split.train.filter((id) => judged.has(id)).slice(0, settings.maxQueries);

  const table = await ProductVectorTable.open(context.run.stageDir("index"), VECTOR_TABLE);
  const { encoder, matmul } = await loadStage1Encoder(context);
  const candidatesFile = path.join(dir, "candidates.jsonl");
  const positivesFile = path.join(dir, "hard-positives.jsonl");
  const candidates = createWriteStream(`${candidatesFile}.tmp`);
  const positives = createWriteStream(`${positivesFile}.tmp`);
  const totals = { queries: 0, neighbours: 0, alreadyJudged: 0, outsideRankWindow: 0, outsideMargin: 0, overQueryCap: 0, candidates: 0, hardPositives: 0 };
  const started = performance.now();
  let searchSeconds = 0;
  try {
    for (let start = 0; start < queryIds.length; start += settings.batchSize) {
      const batchIds = queryIds.slice(start, start + settings.batchSize);
      const vectors = await encoder.encodeTexts(batchIds.map((id) => prepared.query(id).text));
      const searchStarted = performance.now();
      const result = await table.search(vectors, settings.k, {
        nprobes: config.stage2.index.nprobes,
        refineFactor: config.stage2.index.refineFactor,
      });
      searchSeconds += (performance.now() - searchStarted) / 1000;
      const neighbours: QueryNeighbours[] = batchIds.map((queryId, q) => ({
        queryId,
        productIds: result.ids[q] ?? [],
        scores: result.scores.subarray(q * settings.k, (q + 1) * settings.k),
      }));
      const selection = selectHardPairs(neighbours, {
        judged,
        minRank: settings.minRank,
        maxRank: settings.maxRank,
        margin: settings.margin,
        minScore: settings.minScore,
        maxCandidatesPerQuery: settings.maxCandidatesPerQuery,
      });
      for (const candidate of selection.candidates) candidates.write(`${JSON.stringify(candidate)}\n`);
      for (const positive of selection.hardPositives) positives.write(`${JSON.stringify(positive)}\n`);
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += selection.counts[key];
      context.progress({ task: "mine", done: Math.min(queryIds.length, start + settings.batchSize), total: queryIds.length });
    }
  } finally {
    await matmul.dispose();
    await Promise.all([endStream(candidates), endStream(positives)]);
  }
  await rename(`${candidatesFile}.tmp`, candidatesFile);
  await rename(`${positivesFile}.tmp`, positivesFile);

  const seconds = (performance.now() - started) / 1000;
  const report = { ...totals, seconds, queriesPerSecond: totals.queries / seconds, searchQueriesPerSecond: totals.queries / Math.max(searchSeconds, 1e-9) };
  await writeAtomic(path.join(dir, "mining.json"), `${JSON.stringify(report, null, 2)}\n`);
  logger.log("info", "mine: done", {
    queries: totals.queries,
    candidates: totals.candidates,
    hardPositives: totals.hardPositives,
    alreadyJudged: totals.alreadyJudged,
    queriesPerSecond: Math.round(report.queriesPerSecond),
  });
}

function endStream(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on("error", reject);
    stream.end(() => resolve());
  });
}
