export { type AugmentWithTyposOptions, type AugmentWithTyposResult, augmentWithTypos } from "./augment-with-typos.js";
export {
  type GradeSyntheticOptions,
  type GradeSyntheticResult,
  type GradedSyntheticPair,
  type JudgePair,
  type JudgeResult,
  type PairJudge,
  type SyntheticGradingFailure,
  gradeSyntheticQueries,
} from "./grade-synthetic-queries.js";
export { KANA_CONFUSIONS } from "./kana-confusions.js";
export { type KeyboardLayout, QWERTY_LAYOUT, SPANISH_LAYOUT, keyboardLayoutForLocale } from "./keyboard-layouts.js";
export {
  type CompleteText,
  type GenerateLlmQueriesOptions,
  type GenerateLlmQueriesResult,
  type LlmQueryFailure,
  generateLlmSyntheticQueries,
  parseQueryLines,
  renderQueryPrompt,
} from "./llm-synthetic-queries.js";
export { type PerturbQueriesOptions, type PerturbedQuery, typoQueryId } from "./perturb-queries.js";
export {
  type AttributeKind,
  type ProductAttribute,
  type ProductFacets,
  extractAttributes,
  extractProductFacets,
  guessProductType,
} from "./product-facets.js";
export { capSyntheticShare, maxSyntheticCount } from "./synthetic-share.js";
export {
  type GenerateSyntheticQueriesOptions,
  type ProductSelection,
  type SyntheticQuery,
  type SyntheticTemplate,
  countJudgedQueries,
  generateSyntheticQueries,
  syntheticQueryId,
} from "./synthetic-queries.js";
export type { CjkEditKind, LatinEditKind } from "./token-edits.js";
export {
  type ResolvedTypoOptions,
  type TypoGenerator,
  type TypoGeneratorOptions,
  type WordEditKind,
  createTypoGenerator,
  tokenEditProbability,
} from "./typo-generator.js";
