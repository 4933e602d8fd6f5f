#!/usr/bin/env node
import { parseArgs } from "node:util";
import { MineRefineError } from "@mine-refine/core";
import { loadTrainConfig } from "./config/load.js";
import { JUDGE_HELP, runJudgeCli } from "./judge/judge-cli.js";
import { createCliLogger } from "./log.js";
import { runPipeline, STAGES } from "./pipeline.js";
import { runStats } from "./stats.js";

const HELP = `Usage: mine-refine-trainer <command> [options]

Commands:
  train   Run the pipeline (${STAGES.join(", ")}); a rerun resumes at the first unfinished stage.
  stats   Print products, queries and judgments by split and grade for the configured data set.
${JUDGE_HELP}
Options:
  --config FILE        YAML or JSON run configuration (required).
  --set KEY=VALUE      Override one config value by its dotted path, e.g. --set stage1.epochs=2.
                       Repeat for several values.
  --restart            Delete the run folder first and start over.
  --until STAGE        Stop after this stage.
  --verbose            Also print debug records.
  -h, --help           Show this help.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string" },
      set: { type: "string", multiple: true },
      restart: { type: "boolean" },
      until: { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      judge: { type: "string" },
      split: { type: "string" },
      "train-split": { type: "string" },
      checkpoint: { type: "string" },
      out: { type: "string" },
      "validation-fraction": { type: "string" },
    },
  });
  const command = positionals[0];
  if (values.help === true || command === undefined) {
    process.stdout.write(HELP);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  if (command !== "train" && command !== "stats" && command !== "judge") {
    process.stderr.write(`Unknown command "${command}". Expected "train", "stats" or "judge".\n\n${HELP}`);
    return 2;
  }
  if (values.config === undefined) {
    process.stderr.write("Missing --config FILE: the run configuration to use (see configs/demo.yaml).\n");
    return 2;
  }
  if (values.until !== undefined && !(STAGES as readonly string[]).includes(values.until)) {
    process.stderr.write(`Invalid --until "${values.until}". Expected one of: ${STAGES.join(", ")}.\n`);
    return 2;
  }

  const logger = createCliLogger(values.verbose === true ? "debug" : "info");
  const config = await loadTrainConfig(values.config, values.set ?? []);
  if (command === "stats") {
    await runStats(config, logger);
    return 0;
  }
  if (command === "judge") return runJudgeCli(positionals[1], values, config, logger);
  await runPipeline(config, { logger, restart: values.restart === true, until: values.until });
  await logger.flush();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof MineRefineError) {
      process.stderr.write(`error: ${error.message}\n`);
    } else if (isArgumentError(error)) {
      process.stderr.write(`error: ${error.message}. Run with --help to list the options.\n`);
      process.exitCode = 2;
      return;
    } else {
      process.stderr.write(`Internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);

/** True for the errors `parseArgs` raises on an unknown option or a missing option value. */
function isArgumentError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
