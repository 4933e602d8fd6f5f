import type { Logger } from "@mine-refine/core";
import type { JudgeKind, TrainConfig } from "../config/schema.js";
import { runJudgeEval, runJudgeExport } from "./judge-command.js";

const JUDGE_KIND_NAMES: readonly JudgeKind[] = ["human", "local", "llm", "cascade"];

export const JUDGE_HELP = `  judge eval    Train or build a judge on the train split and evaluate it on held-out labels.
                --judge human|local|llm|cascade (default: labels.judge), --split dev|test
                (default test), --train-split train|dev (default train), --checkpoint DIR
                (Stage 1 checkpoint/ folder: adds its cosine as a local judge feature; train on
                dev then, which Stage 1 has not seen), --out FILE (also write the report).
  judge export  Write chat-format fine-tuning JSONL of the train split's labels.
                --out DIR (required), --validation-fraction F (default 0.1).
`;

export interface JudgeCliValues {
  judge?: string;
  split?: string;
  "train-split"?: string;
  checkpoint?: string;
  out?: string;
  "validation-fraction"?: string;
}

/** Runs `judge eval` or `judge export`; returns the exit code. The report goes to stdout. */
export async function runJudgeCli(subcommand: string | undefined, values: JudgeCliValues, config: TrainConfig, logger: Logger): Promise<number> {
  if (subcommand === "eval") {
    const judge = (values.judge ?? config.labels.judge) as JudgeKind;
    if (!JUDGE_KIND_NAMES.includes(judge)) {
      process.stderr.write(`Invalid --judge "${values.judge}". Expected one of: ${JUDGE_KIND_NAMES.join(", ")}.\n`);
      return 2;
    }
    const split = values.split ?? "test";
    if (split !== "dev" && split !== "test") {
      process.stderr.write(`Invalid --split "${split}". Expected dev or test; the train split is what the judge learns from.\n`);
      return 2;
    }
    const trainSplit = values["train-split"] ?? "train";
    if (trainSplit !== "train" && trainSplit !== "dev") {
      process.stderr.write(`Invalid --train-split "${trainSplit}". Expected train or dev.\n`);
      return 2;
    }
    const { report } = await runJudgeEval(config, { judge, split, trainSplit, checkpoint: values.checkpoint, out: values.out }, logger);
    process.stdout.write(report);
    return 0;
  }
  if (subcommand === "export") {
    if (values.out === undefined) {
      process.stderr.write("Missing --out DIR: the folder for train.jsonl and validation.jsonl.\n");
      return 2;
    }
    const fraction = Number(values["validation-fraction"] ?? "0.1");
    if (!(fraction >= 0 && fraction < 1)) {
      process.stderr.write(`Invalid --validation-fraction "${values["validation-fraction"]}". Expected a number in [0, 1).\n`);
      return 2;
    }
    process.stdout.write(await runJudgeExport(config, values.out, fraction, logger));
    return 0;
  }
  process.stderr.write(`Unknown judge command "${subcommand ?? ""}". Expected "judge eval" or "judge export".\n`);
  return 2;
}
