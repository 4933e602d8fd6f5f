import type { Logger } from "@mine-refine/core";
import type { Store } from "@mine-refine/store";
import type { TrainConfig } from "../config/schema.js";
import type { createProgressRenderer } from "../log.js";
import type { RunDirectory } from "../run/run-directory.js";
import type { PreparedData } from "./data.js";

/** Shared state of one pipeline process; the data set is loaded once and reused by later stages. */
export interface StageContext {
  config: TrainConfig;
  run: RunDirectory;
  logger: Logger;
  progress: ReturnType<typeof createProgressRenderer>;
  /** The data set and split, from this process's data stage or reloaded from the finished one. */
  data(): Promise<PreparedData>;
  /** Replaces the prepared data for later stages (the data stage, or a stage that changes labels). */
  setData(prepared: PreparedData): void;
  /** The run's store, opened once per process; undefined when `store.enabled` is false. */
  store(): Promise<Store | undefined>;
}

/** One pipeline stage. Its artifacts go into `dir`, which is published under the stage's name when `run` returns. */
export interface StageDefinition {
  name: string;
  /** One line for `--help` and logs. */
  description: string;
  /** False when the config turns the stage off; a disabled stage writes nothing and is not run. */
  enabled?(config: TrainConfig): boolean;
  run(context: StageContext, dir: string): Promise<void>;
  /**
   * For stages that change the data (augmentation, audit, judge labels): rebuilds their change from
   * their finished folder when a resumed run reloads the data, so later stages see the same data
   * as in the run that wrote the folder. Called in stage order after the data stage's own reload.
   */
  restore?(prepared: PreparedData, dir: string, config: TrainConfig): Promise<PreparedData>;
}
