export * from "./gradient-check.js";
export * from "./random-batch.js";
