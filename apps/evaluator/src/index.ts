export { BASELINES, type Baseline, parseBaselines } from "./baselines.js";
export { type DataConfig, loadDataConfig } from "./data-config.js";
export { type EvaluateCommandOptions, HYBRID_NAMES, runEvaluateCommand } from "./evaluate-command.js";
export { type ModelSpec, RUN_STAGES, resolveModelSpec } from "./model-specs.js";
export { runCli } from "./run-cli.js";
