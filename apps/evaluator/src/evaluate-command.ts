import { rm } from "node:fs/promises";
import path from "node:path";
import { type Grade, InputError, type Logger, type ProgressCallback, type Query } from "@mine-refine/core";
import { createTypoGenerator, loadDataSource, splitQueries } from "@mine-refine/data";
import {
  bm25System,
  buildReportInput,
  type Comparison,
  type DenseSystem,
  encoderSystem,
  evaluateComparison,
  fullTextSystem,
  type HybridSystem,
  type LexicalSystem,
  type TypoQuery,
  writeComparison,
} from "@mine-refine/evaluation";
import { FullTextIndex } from "@mine-refine/mining/lancedb";
import { loadCheckpoint, TwoTowerEncoder } from "@mine-refine/model";
import { OrtMatmul } from "@mine-refine/model/ort";
import type { Baseline } from "./baselines.js";
import { loadDataConfig } from "./data-config.js";
import type { ModelSpec } from "./model-specs.js";

export interface EvaluateCommandOptions {
  /** Trainer config whose data section and split are used. */
  dataConfig: string;
  split: "dev" | "test";
  models: ModelSpec[];
  baselines: Baseline[];
  outDir: string;
  /** Keeps the first N queries of the evaluated split and of dev. */
  maxQueries?: number;
  /** Seed of the untrained encoder, the typo generator and the significance tests. Default: the config's seed. */
  seed?: number;
  /** Adds misspelled copies of the evaluated queries as a segment. Default true. */
  typos?: boolean;
  /** Resamples of the bootstrap and randomization tests. Default 2,000. */
  samples?: number;
  /** Gains of NDCG. Default "graded". */
  gains?: "graded" | "esci";
  /** Lowest grade that recall, precision, MRR and MAP count as relevant. Default GRADE_MODERATE. */
  minGrade?: Grade;
  /** ONNX Runtime threads of the encoders. Default 2. */
  threads?: number;
  logger: Logger;
  progress?: ProgressCallback;
}

/** Names of the hybrid systems the "hybrid" baseline adds. */
export const HYBRID_NAMES = { weighted: "hybrid", rrf: "hybrid-rrf" } as const;

/**
 * Evaluates models and baselines on one split of a configured data set and writes one comparison
 * (`metrics.json`, `report.md`, `report.html`, `trec/`) into the output folder.
 */
export async function runEvaluateCommand(options: EvaluateCommandOptions): Promise<Comparison> {
  const { logger } = options;
  const config = await loadDataConfig(options.dataConfig);
  const seed = options.seed ?? config.seed;
  if (options.models.length === 0 && options.baselines.some((baseline) => baseline === "untrained")) {
    throw new InputError("missing_model", { file: "--baselines" }, "the untrained baseline copies the architecture of a model, but no --model was given", "Add --model NAME=DIR or drop untrained.");
  }

  // NOTE: this reloads the source data and recomputes the split as the trainer's data stage does,
  // but it does not replay data-changing stages (augmentation, audit, judge labels) of a run.
  const dataset = await loadDataSource(config.source, logger);
  const split = splitQueries(dataset, config.split);
  const queryById = new Map(dataset.queries.map((query) => [query.id, query]));
  const pick = (ids: readonly string[]): Query[] => ids.slice(0, options.maxQueries ?? ids.length).map((id) => queryById.get(id)!);
  const evaluated = pick(split[options.split]);
  const dev = options.split === "dev" ? [] : pick(split.dev);
  if (evaluated.length === 0) {
    throw new InputError("empty_split", { file: options.dataConfig, column: "data.split" }, `the ${options.split} split has no queries`, `Raise data.split.${options.split}Fraction or choose another --split.`);
  }
  if (options.split === "dev") logger.log("warn", "evaluating on dev: the hybrid weight and the thresholds are chosen on the same queries they are scored on");

  const typos: TypoQuery[] =
    options.typos === false
      ? []
      : createTypoGenerator()
          .perturbQueries(evaluated, { seed, ratio: 1, copies: 1 })
          .map((query) => ({ id: query.id, text: query.text, originalId: query.originalId, ...(query.locale !== undefined && { locale: query.locale }) }));

  const matmul = new OrtMatmul({ intraOpNumThreads: options.threads ?? 2 });
  // Inside the output folder rather than the system temp folder, so a killed run leaves no stray copy elsewhere.
  const lanceDir = path.join(options.outDir, ".lancedb-fts");
  try {
    const systems: (DenseSystem | LexicalSystem)[] = [];
    const has = (baseline: Baseline): boolean => options.baselines.includes(baseline);
    if (has("bm25")) systems.push(bm25System({ fields: config.productFields }));
    if (has("bm25-lancedb")) {
      systems.push(
        fullTextSystem({
          name: "bm25-lancedb",
          fields: config.productFields,
          createIndex: (documents) => FullTextIndex.create(lanceDir, "products", documents),
        }),
      );
    }
    const dense: DenseSystem[] = [];
    for (const model of options.models) {
      const { encoder } = await loadCheckpoint(model.checkpointDir, { matmul });
      if (dense.length === 0 && has("untrained")) {
        systems.push(encoderSystem("untrained", new TwoTowerEncoder(encoder.config, { matmul, seed }), options.progress));
      }
      const system = encoderSystem(model.name, encoder, options.progress);
      dense.push(system);
      systems.push(system);
    }

    const hybrids = has("hybrid") ? hybridSystems(dense, systems) : [];
    logger.log("info", "evaluate: running systems", {
      split: options.split,
      queries: evaluated.length,
      devQueries: dev.length,
      misspelled: typos.length,
      systems: [...systems.map((system) => system.name), ...hybrids.map((hybrid) => hybrid.name)],
    });
    const { comparison, runs, qrels } = await evaluateComparison(
      dataset,
      { name: options.split, dev, test: evaluated, typos },
      systems,
      {
        ks: config.ks,
        seed,
        hybrids,
        ...(options.gains !== undefined && { gains: options.gains }),
        ...(options.minGrade !== undefined && { minGrade: options.minGrade }),
        ...(options.samples !== undefined && { samples: options.samples }),
        ...(options.progress !== undefined && { progress: options.progress }),
      },
    );

    const report = buildReportInput(comparison, {
      title: `${config.name}: ${options.split} split`,
      datasetName: dataset.name,
      createdAt: new Date().toISOString(),
    });
    await writeComparison(options.outDir, comparison, report, { runs, qrels });
    logger.log("info", `evaluate: wrote ${options.outDir}`);
    return comparison;
  } finally {
    await rm(lanceDir, { recursive: true, force: true });
    await matmul.dispose();
  }
}

/**
 * Builds the hybrids of the last given model (stage2 when a run has it) with BM25, or with LanceDB
 * BM25 when in-memory BM25 is not evaluated: a dev-weighted blend and reciprocal rank fusion.
 */
function hybridSystems(dense: readonly DenseSystem[], systems: readonly (DenseSystem | LexicalSystem)[]): HybridSystem[] {
  const denseSystem = dense[dense.length - 1];
  const lexical = systems.find((system) => system.name === "bm25") ?? systems.find((system) => system.kind === "lexical");
  if (denseSystem === undefined || lexical === undefined) {
    throw new InputError("invalid_hybrid", { file: "--baselines" }, "the hybrid baseline fuses a model with BM25, but no --model or no bm25 baseline is evaluated", "Add --model NAME=DIR and bm25 (or bm25-lancedb) to --baselines.");
  }
  return [
    { kind: "hybrid", name: HYBRID_NAMES.weighted, dense: denseSystem.name, lexical: lexical.name, method: "weighted" },
    { kind: "hybrid", name: HYBRID_NAMES.rrf, dense: denseSystem.name, lexical: lexical.name, method: "rrf" },
  ];
}
