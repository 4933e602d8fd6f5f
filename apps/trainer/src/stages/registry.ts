import { auditStageEnabled, restoreAudit, runAuditStage } from "./audit.js";
import { augmentationEnabled, restoreAugmentation, runAugmentStage } from "./augment.js";
import { runDataStage } from "./data.js";
import { runEvaluateStage } from "./evaluate.js";
import { runExportStage } from "./export.js";
import { runGradeStage } from "./grade.js";
import { runIndexStage } from "./index-stage.js";
import { labelsStageEnabled, restoreLabels, runLabelsStage } from "./labels.js";
import { runMineStage } from "./mine.js";
import type { TrainConfig } from "../config/schema.js";
import type { StageDefinition } from "./stage.js";
import { runStage1 } from "./stage1.js";
import { runStage2 } from "./stage2.js";

/** Every stage in the order it runs. A stage's folder appears under `stages/` only once it is complete. */
export const STAGE_DEFINITIONS: readonly StageDefinition[] = [
  { name: "data", description: "load the data set, split queries, write counts", run: runDataStage },
  {
    name: "labels",
    description: "replace the train split's labels with a judge's grades (or planted errors for experiments)",
    enabled: labelsStageEnabled,
    run: runLabelsStage,
    restore: (prepared, dir) => restoreLabels(prepared, dir),
  },
  {
    name: "audit",
    description: "flag train pairs whose engagement contradicts their grade and re-grade them",
    enabled: auditStageEnabled,
    run: runAuditStage,
    restore: (prepared, dir) => restoreAudit(prepared, dir),
  },
  {
    name: "augment",
    description: "add misspelled copies and judged synthetic queries to the training split",
    enabled: augmentationEnabled,
    run: runAugmentStage,
    restore: (prepared, dir) => restoreAugmentation(prepared, dir),
  },
  { name: "stage1", description: "train the two-tower encoder with the label-aware contrastive loss", run: runStage1 },
  { name: "index", description: "embed the catalog with Stage 1 into a LanceDB table and build the ANN index", enabled: stage2On, run: runIndexStage },
  { name: "mine", description: "find hard pairs among each training query's nearest products", enabled: stage2On, run: runMineStage },
  { name: "grade", description: "grade the mined pairs with the judge", enabled: stage2On, run: runGradeStage },
  { name: "stage2", description: "refine with the multi-class circle loss on mined and original pairs", enabled: stage2On, run: runStage2 },
  { name: "export", description: "write an ONNX model of every trained checkpoint and check it against the TypeScript forward", enabled: (config) => config.export.enabled && config.model.backbone === undefined, run: runExportStage },
  { name: "evaluate", description: "compare the trained models with baselines on held-out queries", run: runEvaluateStage },
];

function stage2On(config: TrainConfig): boolean {
  return config.stage2.enabled;
}

export const STAGES: readonly string[] = STAGE_DEFINITIONS.map((stage) => stage.name);
