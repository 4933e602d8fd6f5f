import { MineRefineError } from "@mine-refine/core";

/**
 * A store that could not be opened or an operation the store rejected. `code` is one of
 * `invalid_url`, `connection_failed`, `directory_locked`, `invalid_row`, `invalid_option`,
 * `run_not_found`, `run_exists`, `finding_not_found`.
 */
export class StoreError extends MineRefineError {}
