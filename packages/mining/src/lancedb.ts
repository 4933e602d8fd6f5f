export * from "./vector-table.js";
export * from "./full-text-index.js";
