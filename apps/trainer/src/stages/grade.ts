import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Judgment, type Product, Rng } from "@mine-refine/core";
import { evaluateJudge, formatJudgeEvaluation, type GradedPair, LocalJudge, pairKey } from "@mine-refine/labeling";
import { type GradedCandidate, gradeCandidates, type HardPairCounts, type MiningCandidate, formatMiningReport, miningReport } from "@mine-refine/mining";
import type { TwoTowerEncoder } from "@mine-refine/model";
import { readJson, writeAtomic } from "../run/run-directory.js";
import type { PreparedData } from "./data.js";
import { loadStage1Encoder } from "./index-stage.js";
import type { StageContext } from "./stage.js";

/**
 * Grades the mined candidates with the local judge, which learns from human labels the Stage 1
 * model has not fitted and is checked on held-out human labels before it grades anything. Writes
 * `graded.jsonl`, the judge, its held-out evaluation and the mining report.
 */
export async function runGradeStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const settings = config.stage2.judge;
  const prepared = await context.data();
  const candidates = await readJsonLines<MiningCandidate>(path.join(context.run.stageDir("mine"), "candidates.jsonl"));
  const mining = await readJson<HardPairCounts>(path.join(context.run.stageDir("mine"), "mining.json"));
  const index = await readJson<{ recall: { k: number; recall: number; queries: number } }>(path.join(context.run.stageDir("index"), "index.json"));

  const { encoder, matmul } = await loadStage1Encoder(context);
  try {
    // The Stage 1 model has fitted the training pairs, so their cosines are optimistic: a judge that
    // reads the cosine is trained on one half of the dev queries and checked on the other half.
    // Without the cosine it learns from the training split and is checked on the dev split.
    const devHalves = halves(prepared.split.dev, config.seed);
    const trainPairs = gradedPairs(prepared, settings.useCosine ? devHalves[0] : prepared.split.train);
    const devPairs = gradedPairs(prepared, settings.useCosine ? devHalves[1] : prepared.split.dev);
    const cosine = settings.useCosine
      ? await cosineScorer(encoder, prepared, [...trainPairs, ...devPairs], candidates)
      : undefined;
    const judge = LocalJudge.train(trainPairs, { id: "local-stage2", cosine, seed: settings.seed });
    await judge.save(path.join(dir, "local-judge.json"));

    const devResults = await judge.grade(devPairs);
    const devEvaluation = evaluateJudge(devResults, new Map(devPairs.map((pair) => [pairKey(pair.queryId, pair.productId), pair.grade])));
    await writeAtomic(path.join(dir, "judge-dev-evaluation.md"), `${formatJudgeEvaluation(devEvaluation)}\n`);
    logger.log("info", "grade: local judge on held-out human labels", {
      trainedOn: settings.useCosine ? "half of the dev queries" : "the training split",
      evaluatedOn: settings.useCosine ? "the other half of the dev queries" : "the dev split",
      accuracy: devEvaluation.accuracy,
      withinOne: devEvaluation.withinOneAccuracy,
      kappa: devEvaluation.quadraticKappa,
    });

    const outcome = await gradeCandidates(
      candidates,
      judge,
      { queryText: (id) => prepared.query(id).text, product: (id) => prepared.product(id) },
      { batchSize: 512, progress: context.progress },
    );
    const kept = outcome.graded.filter((item) => item.confidence >= settings.minConfidence);
    const report = miningReport({
      counts: mining,
      graded: kept,
      gradingFailures: { ...outcome.failures, below_min_confidence: outcome.graded.length - kept.length },
      annRecall: index.recall,
    });
    await writeAtomic(path.join(dir, "graded.jsonl"), kept.map((item) => JSON.stringify(item)).join("\n") + (kept.length > 0 ? "\n" : ""));
    await writeAtomic(path.join(dir, "mining-report.json"), `${JSON.stringify(report, null, 2)}\n`);
    await writeAtomic(path.join(dir, "mining-report.md"), `${formatMiningReport(report)}\n## Judge on dev human labels\n\n${formatJudgeEvaluation(devEvaluation)}\n`);
    logger.log("info", "grade: done", {
      candidates: candidates.length,
      kept: kept.length,
      relevant: report.scoresByGrade[2].count,
      moderate: report.scoresByGrade[1].count,
      irrelevant: report.scoresByGrade[0].count,
    });
  } finally {
    await matmul.dispose();
  }
}

/** Mined pairs the judge graded, as judgments for Stage 2 (raw label records the judge). */
export async function readGradedCandidates(gradeStageDir: string): Promise<Judgment[]> {
  const graded = await readJsonLines<GradedCandidate>(path.join(gradeStageDir, "graded.jsonl"));
  return graded.map((item) => ({ queryId: item.queryId, productId: item.productId, grade: item.grade, rawLabel: `${item.judgeId}:${item.grade}` }));
}

/** Splits query ids into two halves by a seeded shuffle. */
function halves(queryIds: readonly string[], seed: number): [string[], string[]] {
  const shuffled = new Rng(seed).shuffle([...queryIds]);
  const middle = Math.floor(shuffled.length / 2);
  return [shuffled.slice(0, middle), shuffled.slice(middle)];
}

function gradedPairs(prepared: PreparedData, queryIds: readonly string[]): GradedPair[] {
  const wanted = new Set(queryIds);
  return prepared.dataset.judgments
    .filter((judgment) => wanted.has(judgment.queryId))
    .map((judgment) => ({
      queryId: judgment.queryId,
      query: prepared.query(judgment.queryId).text,
      productId: judgment.productId,
      product: prepared.product(judgment.productId),
      grade: judgment.grade,
    }));
}

/** A cosine scorer over precomputed Stage 1 embeddings of every query text and product the judge will see. */
async function cosineScorer(
  encoder: TwoTowerEncoder,
  prepared: PreparedData,
  pairs: readonly GradedPair[],
  candidates: readonly MiningCandidate[],
): Promise<(query: string, product: Product) => number> {
  const texts = [...new Set([...pairs.map((pair) => pair.query), ...candidates.map((item) => prepared.query(item.queryId).text)])];
  const productIds = [...new Set([...pairs.map((pair) => pair.productId), ...candidates.map((item) => item.productId)])];
  const dim = encoder.outputDim;
  const queryVectors = await encoder.encodeTexts(texts);
  const productVectors = await encoder.encodeProducts(productIds.map((id) => prepared.product(id)));
  const queryRow = new Map(texts.map((text, i) => [text, i]));
  const productRow = new Map(productIds.map((id, i) => [id, i]));
  return (query, product) => {
    const q = queryRow.get(query);
    const p = productRow.get(product.id);
    if (q === undefined || p === undefined) return 0;
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += queryVectors[q * dim + d]! * productVectors[p * dim + d]!;
    return dot;
  };
}

async function readJsonLines<T>(file: string): Promise<T[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}
