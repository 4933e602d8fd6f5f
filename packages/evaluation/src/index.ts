export * from "./bm25.js";
export * from "./exact-top-k.js";
