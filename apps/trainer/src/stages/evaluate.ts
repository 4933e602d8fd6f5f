import { rm } from "node:fs/promises";
import path from "node:path";
import type { Query } from "@mine-refine/core";
import { createTypoGenerator } from "@mine-refine/data";
import {
  bm25System,
  buildReportInput,
  type DenseSystem,
  evaluateComparison,
  fullTextSystem,
  type HybridSystem,
  type LexicalSystem,
  type TypoQuery,
  writeComparison,
} from "@mine-refine/evaluation";
import { FullTextIndex } from "@mine-refine/mining/lancedb";
import { OrtMatmul } from "@mine-refine/model/ort";
import type { StageContext } from "./stage.js";
import { untrainedBackboneModel } from "./backbone.js";
import { createEncoder, encoderSystem } from "./encoder.js";
import { loadTrainedModel } from "./export.js";

/**
 * Evaluates the trained models (stage1, and stage2 when it finished) and the configured baselines
 * on the evaluation split with full-catalog retrieval, with the same code as the evaluator CLI. It
 * writes `metrics.json`, `report.md`, `report.html` and `trec/` (one run file per system and the qrels).
 * Dev queries choose the hybrid's dense weight and the grade thresholds.
 */
export async function runEvaluateStage(context: StageContext, dir: string): Promise<void> {
  const { config, logger } = context;
  const settings = config.evaluation;
  const prepared = await context.data();
  const { dataset, split } = prepared;
  const pick = (ids: readonly string[]): Query[] => ids.slice(0, settings.maxQueries ?? ids.length).map((id) => prepared.query(id));
  const evaluated = pick(split[settings.split]);
  const dev = settings.split === "dev" ? [] : pick(split.dev);
  const typos: TypoQuery[] = settings.typos
    ? createTypoGenerator()
        .perturbQueries(evaluated, { seed: config.seed, ratio: 1, copies: 1 })
        .map((query) => ({ id: query.id, text: query.text, originalId: query.originalId, ...(query.locale !== undefined && { locale: query.locale }) }))
    : [];

  const matmul = new OrtMatmul({ intraOpNumThreads: config.threads });
  const loaded: { dispose(): Promise<void> }[] = [];
  // Inside the stage's partial folder, so a killed run leaves nothing behind: the next run removes it.
  const lanceDir = path.join(dir, "lancedb-fts");
  try {
    const onProgress = (task: string, done: number, total: number): void => context.progress({ task, done, total });
    const has = (baseline: (typeof settings.baselines)[number]): boolean => settings.baselines.includes(baseline);
    const systems: (DenseSystem | LexicalSystem)[] = [];
    if (has("bm25")) systems.push(bm25System({ fields: config.model.productFields }));
    if (has("bm25-lancedb")) {
      systems.push(
        fullTextSystem({
          name: "bm25-lancedb",
          fields: config.model.productFields,
          createIndex: (documents) => FullTextIndex.create(lanceDir, "products", documents),
        }),
      );
    }
    if (has("untrained")) {
      const untrained = config.model.backbone !== undefined ? await untrainedBackboneModel(context, matmul) : createEncoder(config, matmul);
      systems.push(encoderSystem("untrained", untrained, onProgress));
    }
    const stage1 = await loadTrainedModel(context, "stage1", matmul);
    loaded.push(stage1);
    let lastTrained = encoderSystem("stage1", stage1.model, onProgress);
    systems.push(lastTrained);
    if (config.stage2.enabled && context.run.isComplete("stage2")) {
      const stage2 = await loadTrainedModel(context, "stage2", matmul);
      loaded.push(stage2);
      lastTrained = encoderSystem("stage2", stage2.model, onProgress);
      systems.push(lastTrained);
    }

    const hybrids: HybridSystem[] = [];
    const lexical = systems.find((system) => system.name === "bm25") ?? systems.find((system) => system.kind === "lexical");
    if (has("hybrid") && lexical === undefined) {
      logger.log("warn", "evaluate: the hybrid baseline needs bm25 or bm25-lancedb in evaluation.baselines; skipping it");
    } else if (has("hybrid") && lexical !== undefined) {
      hybrids.push(
        { kind: "hybrid", name: "hybrid", dense: lastTrained.name, lexical: lexical.name, method: "weighted" },
        { kind: "hybrid", name: "hybrid-rrf", dense: lastTrained.name, lexical: lexical.name, method: "rrf" },
      );
      // Stage 2 can end up worse than Stage 1, so the blend with Stage 1 is reported too.
      if (lastTrained.name !== "stage1") {
        hybrids.push({ kind: "hybrid", name: "hybrid-stage1", dense: "stage1", lexical: lexical.name, method: "weighted" });
      }
    }

    logger.log("info", "evaluate: running systems", {
      split: settings.split,
      queries: evaluated.length,
      devQueries: dev.length,
      misspelled: typos.length,
      systems: [...systems.map((system) => system.name), ...hybrids.map((hybrid) => hybrid.name)],
    });
    const { comparison, runs, qrels } = await evaluateComparison(
      dataset,
      { name: settings.split, dev, test: evaluated, typos },
      systems,
      {
        ks: settings.ks,
        seed: config.seed,
        samples: settings.samples,
        gains: settings.gains,
        minGrade: settings.minGrade,
        hybrids,
        progress: context.progress,
      },
    );
    const report = buildReportInput(comparison, {
      title: `${config.name}: ${settings.split} split`,
      datasetName: dataset.name,
      createdAt: new Date().toISOString(),
    });
    await writeComparison(dir, comparison, report, { runs, qrels });

    await context.run.writeJson("metrics.json", {
      split: settings.split,
      queries: comparison.queries,
      systems: Object.fromEntries(comparison.systems.map((system) => [system.name, system.means])),
    });
    for (const system of comparison.systems) {
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
    await rm(lanceDir, { recursive: true, force: true });
    await matmul.dispose();
  }
}
