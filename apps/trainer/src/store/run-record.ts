import { existsSync } from "node:fs";
import path from "node:path";
import type { Logger } from "@mine-refine/core";
import { maskUrlPasswords, type Store } from "@mine-refine/store";
import type { TrainConfig } from "../config/schema.js";
import { readJson } from "../run/run-directory.js";
import { redactConfig } from "./run-store.js";

/**
 * Records one pipeline invocation in the store: its config, its status, each stage's start and end,
 * and the final metrics. Without a store every method does nothing. A resumed run is a new record,
 * and stages it finds complete are marked `done` without timestamps.
 */
export class RunRecorder {
  private constructor(
    private readonly store: Store | undefined,
    readonly id: string,
    private readonly runRoot: string,
  ) {}

  static async start(store: Store | undefined, config: TrainConfig, runRoot: string, logger: Logger): Promise<RunRecorder> {
    const id = `${config.name}-${new Date().toISOString()}-${process.pid}`;
    if (store !== undefined) {
      await store.createRun(id, { ...redactConfig(config) } as Record<string, unknown>);
      logger.log("info", "run recorded in the store", { runId: id });
    }
    return new RunRecorder(store, id, runRoot);
  }

  async stageStarted(stage: string): Promise<void> {
    await this.store?.updateRunStage(this.id, stage, "running", { startedAt: new Date() });
  }

  async stageFinished(stage: string, startedAt: Date): Promise<void> {
    await this.store?.updateRunStage(this.id, stage, "done", { startedAt, finishedAt: new Date() });
  }

  async stageAlreadyComplete(stage: string): Promise<void> {
    await this.store?.updateRunStage(this.id, stage, "done");
  }

  async stageFailed(stage: string, startedAt: Date): Promise<void> {
    await this.store?.updateRunStage(this.id, stage, "failed", { startedAt, finishedAt: new Date() });
  }

  /** Stores status `succeeded` with the run's `metrics.json`, or an empty object when no stage wrote one. */
  async succeeded(): Promise<void> {
    if (this.store === undefined) return;
    const file = path.join(this.runRoot, "metrics.json");
    const metrics = existsSync(file) ? await readJson<Record<string, unknown>>(file) : {};
    await this.store.finishRun(this.id, "succeeded", metrics);
  }

  /** Stores status `failed` with the error message, URL passwords masked. */
  async failed(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.store?.finishRun(this.id, "failed", { error: maskUrlPasswords(message) });
  }
}
