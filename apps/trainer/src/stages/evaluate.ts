import path from "node:path";
import type { Query } from "@mine-refine/core";
import { bm25System, type DenseSystem, evaluateSystems, formatSystemsEvaluation, type LexicalSystem } from "@mine-refine/evaluation";
import { OrtMatmul } from "@mine-refine/model/ort";
import type { StageContext } from "./stage.js";
import { writeAtomic } from "../run/run-directory.js";
import { createEncoder, encoderSystem } from "./encoder.js";
import { loadTrainedModel } from "./export.js";

/**
 * Evaluates the trained model and the configured baselines on the evaluation split with
 * full-catalog retrieval, and writes `metrics.json` and `report.md`.
 */
export async function runEvaluateStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const prepared = await context.data();
  const { dataset, split } = prepared;
  let queryIds = split[config.evaluation.split];
  if (config.evaluation.maxQueries !== undefined) queryIds = queryIds.slice(0, config.evaluation.maxQueries);
  const queries: Query[] = queryIds.map((id) => prepared.query(id));

  const matmul = new OrtMatmul({ intraOpNumThreads: config.threads });
  const loaded: { dispose(): Promise<void> }[] = [];
  try {
    const onProgress = (task: string, done: number, total: number): void => context.progress({ task, done, total });
    const systems: (DenseSystem | LexicalSystem)[] = [];
    if (config.evaluation.baselines.includes("bm25")) systems.push(bm25System({ fields: config.model.productFields }));
    if (config.evaluation.baselines.includes("untrained")) systems.push(encoderSystem("untrained", createEncoder(config, matmul), onProgress));
    const stage1 = await loadTrainedModel(context, "stage1", matmul);
    loaded.push(stage1);
    systems.push(encoderSystem("stage1", stage1.model, onProgress));
    if (config.stage2.enabled && context.run.isComplete("stage2")) {
      const stage2 = await loadTrainedModel(context, "stage2", matmul);
      loaded.push(stage2);
      systems.push(encoderSystem("stage2", stage2.model, onProgress));
    }

    logger.log("info", "evaluate: running systems", { split: config.evaluation.split, queries: queries.length, systems: systems.map((system) => system.name) });
    const { evaluation } = await evaluateSystems(dataset, queries, systems, {
      ks: config.evaluation.ks,
      seed: config.seed,
      progress: context.progress,
    });
    await writeAtomic(path.join(dir, "metrics.json"), `${JSON.stringify(evaluation, null, 2)}\n`);
    const report = formatSystemsEvaluation(evaluation, `${config.name}: ${config.evaluation.split} split`);
    await writeAtomic(path.join(dir, "report.md"), report);
    await context.run.writeJson("metrics.json", {
      split: config.evaluation.split,
      queries: evaluation.queries,
      systems: Object.fromEntries(evaluation.systems.map((system) => [system.name, system.means])),
    });
    for (const system of evaluation.systems) {
      logger.log("info", `evaluate: ${system.name}`, {
        "ndcg@10": system.means["ndcg@10"] ?? Number.NaN,
        "recall@100": system.means["recall@100"] ?? Number.NaN,
        "rerank-ndcg": system.means["rerank-ndcg"] ?? Number.NaN,
        "sep2>1": system.separation[0]?.withinQueryMean ?? Number.NaN,
        "sep1>0": system.separation[1]?.withinQueryMean ?? Number.NaN,
      });
    }
  } finally {
    for (const model of loaded) await model.dispose();
    await matmul.dispose();
  }
}
