import { runDataStage } from "./data.js";
import { runEvaluateStage } from "./evaluate.js";
import type { StageDefinition } from "./stage.js";
import { runStage1 } from "./stage1.js";

/** Every stage in the order it runs. A stage's folder appears under `stages/` only once it is complete. */
export const STAGE_DEFINITIONS: readonly StageDefinition[] = [
  { name: "data", description: "load the data set, split queries, write counts", run: runDataStage },
  { name: "stage1", description: "train the two-tower encoder with the label-aware contrastive loss", run: runStage1 },
  { name: "evaluate", description: "compare the trained models with baselines on held-out queries", run: runEvaluateStage },
];

export const STAGES: readonly string[] = STAGE_DEFINITIONS.map((stage) => stage.name);
