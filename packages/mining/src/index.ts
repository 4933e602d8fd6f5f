export * from "./grade-candidates.js";
export * from "./hard-pairs.js";
export * from "./mining-report.js";
