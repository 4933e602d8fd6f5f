export * from "./types.js";
export { createSupConLoss, createSupConLoss64 } from "./supcon.js";
export type { ModerateRole, SupConLossOptions } from "./supcon.js";
export { createMultiClassCircleLoss, createMultiClassCircleLoss64 } from "./circle.js";
export type { CircleBoundaryOptions, MultiClassCircleLossOptions } from "./circle.js";
export { createBatchSampler } from "./batch-sampler.js";
export type { BatchSampler, BatchSamplerOptions, SamplerJudgment } from "./batch-sampler.js";
export { createInfoNceLoss, createInfoNceLoss64 } from "./info-nce.js";
export type { InfoNceLossOptions } from "./info-nce.js";
