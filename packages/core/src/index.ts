export * from "./env.js";
export * from "./errors.js";
export * from "./grades.js";
export * from "./hash.js";
export * from "./logger.js";
export * from "./rng.js";
export * from "./text.js";
export * from "./types.js";
