export { type AdamSettings, AdamW, type AdamWParameter } from "./adamw.js";
export { type ClipResult, clipGradientNorm } from "./clip.js";
export { LazyAdam } from "./lazy-adam.js";
export { type LearningRateSchedule, learningRateAt, validateSchedule } from "./schedule.js";
export { EncoderOptimizer, type EncoderOptimizerSettings, zeroGradients } from "./encoder-optimizer.js";
