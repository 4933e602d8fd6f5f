import { parseArgs } from "node:util";
import { GRADE_MODERATE, GRADE_RELEVANT, type Logger, MineRefineError } from "@mine-refine/core";
import { BASELINES, parseBaselines } from "./baselines.js";
import { runEvaluateCommand } from "./evaluate-command.js";
import { createProgressLogger, createStderrLogger } from "./log.js";
import { resolveModelSpec } from "./model-specs.js";

const USAGE = `Usage: mine-refine-evaluator evaluate --data CONFIG --out DIR [options]

Evaluates models and baselines on one split and writes metrics.json, report.md, report.html and trec/.

  --data CONFIG        trainer config file; its data section and split are used
  --split NAME         split to evaluate: test (default) or dev
  --model NAME=DIR     checkpoint folder, or trainer run folder (its stage1 and stage2
                       checkpoints become NAME-stage1 and NAME-stage2); repeatable
  --baselines LIST     comma-separated, from ${BASELINES.join(", ")} (default bm25,untrained,hybrid)
  --out DIR            output folder, created if missing
  --max-queries N      evaluate only the first N queries of the split (and of dev)
  --seed N             seed of the untrained encoder, typos and significance tests (default: config seed)
  --samples N          bootstrap and randomization resamples (default 2000)
  --threads N          ONNX Runtime threads (default 2)
  --gains NAME         NDCG gains: graded (2^grade - 1, default) or esci (needs ESCI raw labels)
  --min-grade N        lowest grade that recall, precision, MRR and MAP count as relevant: 1 (default) or 2
  --no-typos           skip the misspelled-query segment
  --help               show this text
`;

/**
 * Runs the evaluator command line and returns its exit code: 0 on success, 2 for usage errors.
 * Invalid inputs such as a missing checkpoint raise a MineRefineError that names them.
 */
export async function runCli(argv: string[], options: { logger?: Logger } = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: "string" },
      split: { type: "string", default: "test" },
      model: { type: "string", multiple: true, default: [] },
      baselines: { type: "string", default: "bm25,untrained,hybrid" },
      out: { type: "string" },
      "max-queries": { type: "string" },
      seed: { type: "string" },
      samples: { type: "string" },
      threads: { type: "string" },
      gains: { type: "string", default: "graded" },
      "min-grade": { type: "string", default: "1" },
      "no-typos": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (positionals[0] !== "evaluate" || positionals.length > 1) {
    process.stderr.write(`Unknown command "${positionals.join(" ")}"; expected "evaluate".\n\n${USAGE}`);
    return 2;
  }
  if (values.data === undefined || values.out === undefined) {
    process.stderr.write(`Missing ${values.data === undefined ? "--data" : "--out"}.\n\n${USAGE}`);
    return 2;
  }
  if (values.split !== "test" && values.split !== "dev") {
    process.stderr.write(`Invalid --split "${values.split}"; expected test or dev.\n`);
    return 2;
  }

  if (values.gains !== "graded" && values.gains !== "esci") {
    process.stderr.write(`Invalid --gains "${values.gains}"; expected graded or esci.\n`);
    return 2;
  }
  if (values["min-grade"] !== "1" && values["min-grade"] !== "2") {
    process.stderr.write(`Invalid --min-grade "${values["min-grade"]}"; expected 1 or 2.\n`);
    return 2;
  }

  const logger = options.logger ?? createStderrLogger();
  const models = (await Promise.all(values.model.map(resolveModelSpec))).flat();
  await runEvaluateCommand({
    dataConfig: values.data,
    split: values.split,
    models,
    baselines: parseBaselines(values.baselines),
    outDir: values.out,
    ...optionalInteger("maxQueries", values["max-queries"], "--max-queries", 1),
    ...optionalInteger("seed", values.seed, "--seed", 0),
    ...optionalInteger("samples", values.samples, "--samples", 1),
    ...optionalInteger("threads", values.threads, "--threads", 1),
    typos: !values["no-typos"],
    gains: values.gains,
    minGrade: values["min-grade"] === "2" ? GRADE_RELEVANT : GRADE_MODERATE,
    logger,
    progress: createProgressLogger(logger),
  });
  return 0;
}

function optionalInteger<K extends string>(key: K, value: string | undefined, option: string, min: number): Partial<Record<K, number>> {
  if (value === undefined) return {};
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    throw new MineRefineError("invalid_option", `Invalid ${option} "${value}"; expected an integer >= ${min}.`);
  }
  return { [key]: parsed } as Partial<Record<K, number>>;
}

