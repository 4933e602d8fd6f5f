export { CascadeJudge, type CascadeJudgeOptions } from "./cascade-judge.js";
export { buildChatRequest, canonicalJson, GRADE_OUTPUT_SCHEMA, type ResponseFormatMode, requestCacheKey } from "./chat-request.js";
export {
  type AgreementScores,
  agreement,
  confusionMatrix,
  evaluateJudge,
  formatJudgeEvaluation,
  type GradeScores,
  type JudgeEvaluation,
} from "./evaluate-judge.js";
export { exportFineTuningJsonl, type FineTuningExport, type FineTuningExportOptions, fineTuningExample } from "./fine-tuning-export.js";
export { GUIDELINE_PATH, GUIDELINE_VERSION, loadGuideline, renderSystemPrompt, renderUserPrompt } from "./guideline.js";
export { HumanLabelJudge, type HumanLabelJudgeOptions } from "./human-label-judge.js";
export {
  type GradedPair,
  type GradeOptions,
  isJudgeGrade,
  type Judge,
  type JudgeFailure,
  type JudgeGrade,
  type JudgePair,
  type JudgeResult,
  pairKey,
} from "./judge.js";
export { type CachedResponse, type JudgeCache, JsonlJudgeCache, MemoryJudgeCache, type TokenUsage } from "./judge-cache.js";
export { LocalJudge, type LocalJudgeLoadOptions, type LocalJudgeTrainingOptions } from "./local-judge.js";
export type { SoftmaxTrainingOptions } from "./logistic-regression.js";
export {
  type JudgeUsage,
  OpenAiCompatibleJudge,
  type OpenAiCompatibleJudgeOptions,
  type TokenPricing,
} from "./openai-compatible-judge.js";
export { COSINE_FEATURE_NAME, type CosineScorer, computeFeatures, LEXICAL_FEATURE_NAMES } from "./pair-features.js";
export { backoffDelayMs, parseRetryAfterMs, type Sleeper } from "./retry.js";
