import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type Grade, InputError, isGrade, type Judgment, normalizeText } from "@mine-refine/core";
import { type EngagementAggregate, type InconsistencyReport, pairKey, readAggregateTable, readEventLog, simulateEngagement } from "@mine-refine/audit";
import type { EngagementRow } from "@mine-refine/store";
import type { PreparedData } from "./data.js";
import type { StageContext } from "./stage.js";
import { readLabelChanges } from "./labels.js";

export interface AuditEngagement {
  aggregates: EngagementAggregate[];
  /** Rows of an engagement file that were left out, by reason. Undefined for simulated engagement. */
  inconsistencies?: InconsistencyReport;
  /** Number of simulated searches. Undefined for engagement read from a file. */
  searchCount?: number;
  /** Grades the simulated shoppers followed, when they differ from the audited labels. */
  trueGrades?: Map<string, Grade>;
}

/**
 * Simulates or reads the engagement of the audited pairs, as `audit.engagement` configures. A `query`
 * column of a file is matched to the data set's query with the same normalised text.
 */
export async function auditEngagement(context: StageContext, prepared: PreparedData, judgments: readonly Judgment[]): Promise<AuditEngagement> {
  const settings = context.config.audit.engagement;
  const knownProductIds = new Set(prepared.dataset.products.map((product) => product.id));
  const queryIds = new Map(prepared.dataset.queries.map((query) => [normalizeText(query.text), query.id]));
  // A query text outside the data set keeps a text-derived id, so its rows match no judged pair.
  const queryIdFromText = (text: string): string => queryIds.get(normalizeText(text)) ?? `unknown:${normalizeText(text)}`;
  switch (settings.kind) {
    case "events": {
      const { aggregates, inconsistencies } = await readEventLog(settings.path, { knownProductIds, queryIdFromText });
      return { aggregates, inconsistencies };
    }
    case "aggregates": {
      const { aggregates, inconsistencies } = await readAggregateTable(settings.path, { knownProductIds, queryIdFromText, window: settings.window });
      return { aggregates, inconsistencies };
    }
    case "simulate": {
      const trueGrades = await simulationTruth(context, judgments, settings.trueGrades);
      const simulation = simulateEngagement(judgments, {
        seed: settings.seed,
        meanClicksPerQuery: settings.meanClicksPerQuery,
        trueGrades,
        output: "aggregates",
        progress: context.progress,
      });
      return { aggregates: simulation.aggregates ?? [], searchCount: simulation.searchCount, trueGrades };
    }
  }
}

/**
 * Returns the grades that drive the simulated shoppers. It returns undefined for the current labels.
 * "data" gives the current labels with every change of the labels stage undone.
 */
async function simulationTruth(
  context: StageContext,
  judgments: readonly Judgment[],
  source: "labels" | "data" | { path: string },
): Promise<Map<string, Grade> | undefined> {
  if (source === "labels") return undefined;
  const truth = new Map<string, Grade>(judgments.map((judgment) => [pairKey(judgment.queryId, judgment.productId), judgment.grade]));
  if (source === "data") {
    const labelsDir = context.run.stageDir("labels");
    if (!existsSync(labelsDir)) return truth;
    for (const change of await readLabelChanges(labelsDir)) truth.set(pairKey(change.queryId, change.productId), change.previousGrade);
    return truth;
  }
  const lines = (await readFile(source.path, "utf8")).split("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let row: { queryId?: unknown; productId?: unknown; grade?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      row = {};
    }
    if (typeof row.queryId !== "string" || typeof row.productId !== "string" || !isGrade(row.grade)) {
      throw new InputError("invalid_true_grade", { file: source.path, row: index + 1 }, `expected {"queryId", "productId", "grade": 0, 1 or 2}, received ${line.slice(0, 200)}`, "Fix the line or point audit.engagement.trueGrades.path at another file.");
    }
    truth.set(pairKey(row.queryId, row.productId), row.grade);
  });
  return truth;
}

/** Converts aggregates to the store's engagement rows. */
export function engagementRows(dataset: string, aggregates: readonly EngagementAggregate[]): EngagementRow[] {
  return aggregates.map((aggregate) => ({
    dataset,
    queryId: aggregate.queryId,
    productId: aggregate.productId,
    windowStart: new Date(aggregate.windowStart),
    windowEnd: new Date(aggregate.windowEnd),
    impressions: aggregate.impressions,
    clicks: aggregate.clicks,
    addToCarts: aggregate.addToCarts,
    purchases: aggregate.purchases,
    meanPosition: aggregate.impressions > 0 ? aggregate.meanPosition : undefined,
  }));
}
