export * from "./evaluate-systems.js";
export * from "./format.js";
export * from "./lexical.js";
export * from "./run-systems.js";
export * from "./summarize.js";
export * from "./systems.js";
