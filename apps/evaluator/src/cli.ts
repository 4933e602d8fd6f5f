#!/usr/bin/env node
import { MineRefineError } from "@mine-refine/core";
import { runCli } from "./run-cli.js";

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof MineRefineError ? error.message : ((error as Error).stack ?? String(error))}\n`);
    process.exitCode = 1;
  },
);
