#!/usr/bin/env node
import { MineRefineError } from "@mine-refine/core";
import { runCli } from "./run-cli.js";

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      // parseArgs rejects unknown options and missing values; that is a usage error, not a crash.
      process.stderr.write(`error: ${(error as Error).message}. Run with --help to list the options.\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${error instanceof MineRefineError ? error.message : ((error as Error).stack ?? String(error))}\n`);
    process.exitCode = 1;
  },
);
