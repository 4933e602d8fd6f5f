/**
 * A frozen pretrained transformer with a trainable head, behind its own subpath
 * (`@mine-refine/model/backbone`) so that code which does not use it does not load
 * @huggingface/transformers.
 */
export { BackboneHead, type BackboneHeadCache, type BackboneHeadConfig, type BackboneHeadGradients, validateBackboneHeadConfig } from "./backbone-head.js";
export { BackboneTower, type BackboneTextOptions, backboneProductText, backboneQueryText, embedById } from "./backbone-tower.js";
export { CachedEmbedder, type CachedEmbedderOptions, EmbeddingCache, type EmbeddingCacheOptions, type EmbeddingCacheStats, textKey } from "./embedding-cache.js";
export { type BackboneReference, HEAD_CONFIG_FILE, HEAD_WEIGHTS_FILE, type LoadedBackboneHead, type SavedBackboneHead, loadBackboneHead, saveBackboneHead } from "./head-checkpoint.js";
export { type LoadedBackboneTower, type OpenBackboneOptions, type OpenedBackbone, loadBackboneTower, openBackbone } from "./open-backbone.js";
export {
  BACKBONE_REQUIRED_FILES,
  PretrainedBackbone,
  type PretrainedBackboneOptions,
  type TextEmbedder,
  checkModelDirectory,
  hashModelDirectory,
  meanPoolInto,
} from "./pretrained-backbone.js";
export { TINY_BERT_LAYER_NORM_EPSILON, type TinyBertModel, type TinyBertOptions, type TinyBertWeights, generateTinyBertModel } from "./tiny-bert.js";
export { TINY_BERT_DEFAULT_WORDS, TINY_BERT_SPECIAL_TOKENS, type VocabularyFromTextsOptions, splitBertWords, tinyBertVocabulary, vocabularyFromTexts } from "./tiny-bert-vocab.js";
export { HeadOptimizer, type HeadOptimizerSettings, type TrainBackboneHeadOptions, type TrainBackboneHeadSummary, trainBackboneHead } from "./train-head.js";
