export * from "./bm25.js";
