export { LOCK_FILE } from "./directory-lock.js";
export { StoreError } from "./errors.js";
export { maskUrlPasswords } from "./mask-url.js";
export * as schema from "./schema.js";
export { openStore, type Store } from "./store.js";
export * from "./types.js";
