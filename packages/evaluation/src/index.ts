export * from "./bm25.js";
export * from "./evaluate-run.js";
export * from "./exact-top-k.js";
export * from "./gains.js";
export * from "./qrels.js";
export * from "./ranking-metrics.js";
export * from "./rerank.js";
