export * from "./types.js";
export { createSupConLoss, createSupConLoss64 } from "./supcon.js";
export type { ModerateRole, SupConLossOptions } from "./supcon.js";
