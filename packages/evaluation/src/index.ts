export { type Bm25Hit, Bm25Index, type Bm25Options } from "./bm25.js";
export {
  type EvaluateRunOptions,
  evaluateRun,
  meanOfDefined,
  type Run,
  type RunCounts,
  type RunEvaluation,
} from "./evaluate-run.js";
export { type ExactTopKOptions, type ExactTopKResult, exactTopK } from "./exact-top-k.js";
export { GAIN_PRESETS, type GainPreset, type GainScheme, gradeGains, rawLabelGains, resolveGains } from "./gains.js";
export { type Qrels, qrelsFromJudgments, type RawLabels } from "./qrels.js";
export { quantileOfSorted } from "./quantile.js";
export {
  averagePrecision,
  mrrAtK,
  type NdcgOptions,
  ndcgAtK,
  precisionAtK,
  rankDiscount,
  recallAtK,
} from "./ranking-metrics.js";
export { formatMetric, renderComparisonTable, renderMarkdownTable, type TableCell } from "./render.js";
export { type RerankEvaluation, type RerankOptions, rerankNdcg } from "./rerank.js";
export {
  type AdjacentSeparation,
  adjacentSeparation,
  countWins,
  type GradeScoreSummary,
  gradeQuantiles,
  type QueryScores,
} from "./separation.js";
export {
  type BootstrapOptions,
  type BootstrapResult,
  compareSystems,
  holmAdjust,
  pairedBootstrap,
  pairedRandomizationTest,
  type RandomizationOptions,
  type RandomizationResult,
  type SystemComparison,
  type SystemComparisonOptions,
} from "./significance.js";
export {
  type ChosenThresholds,
  chooseThresholds,
  type GradeClassReport,
  type GradeThresholds,
  predictGrade,
  type ThresholdReport,
  thresholdReport,
} from "./thresholds.js";
export { formatTrecQrels, formatTrecRun, writeTrecQrels, writeTrecRun } from "./trec.js";
export * from "./compare/index.js";
export * from "./report/index.js";
