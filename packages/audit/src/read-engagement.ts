import { InputError, normalizeText, stableId } from "@mine-refine/core";
import { aggregateEvents } from "./aggregate-events.js";
import { type EngagementAggregate, type EngagementEvent, isEventType, pairKey } from "./engagement.js";
import { InconsistencyCollector, type InconsistencyReport } from "./inconsistencies.js";
import { parseIsoTime, readTable, requireColumns, type Table, type TableRow } from "./table-file.js";

export interface ReadEngagementOptions {
  /** Product ids of the catalog; rows naming any other product are rejected as `unknown_product`. */
  knownProductIds: ReadonlySet<string>;
  /**
   * Maps the text of a `query` column to a query id. The default is `stableId(normalizeText(text))`,
   * the id that queries with the same normalised text share. A `query_id` column is used as is.
   */
  queryIdFromText?: (text: string) => string;
  /** Rejected rows kept as examples for each reason. Default 5. */
  maxExamplesPerReason?: number;
}

export interface ReadAggregateOptions extends ReadEngagementOptions {
  /** Window of the totals, used when the table has no `window_start` and `window_end` columns. */
  window?: { start: string; end: string };
}

/** Aggregates built from a file, and the rows that were left out with their reasons. */
export interface EngagementReadResult {
  aggregates: EngagementAggregate[];
  inconsistencies: InconsistencyReport;
}

const EVENT_COLUMNS = ["product_id", "event_type", "position", "time", "session_id"] as const;

/**
 * Reads an event log (`.csv` or `.jsonl`) with columns `query` (text) or `query_id`, `product_id`,
 * `event_type` (impression, click, add_to_cart, purchase), `position` (1-based), `time` (ISO 8601;
 * UTC when it has no offset) and `session_id`, and sums it into per-pair aggregates. Inconsistent
 * rows are counted by reason with examples and never enter the totals. A pair whose clicks exceed
 * its impressions is left out whole. Add-to-cart and purchase rows may leave `position` blank.
 */
export async function readEventLog(path: string, options: ReadEngagementOptions): Promise<EngagementReadResult> {
  const table = await readTable(path);
  requireColumns(path, table, EVENT_COLUMNS);
  requireQueryColumn(path, table);
  const collector = new InconsistencyCollector(options.maxExamplesPerReason ?? 5);
  const queryIdFromText = options.queryIdFromText ?? defaultQueryId;

  const events: EngagementEvent[] = [];
  const rowsOfPair = new Map<string, number[]>();
  for (const row of table.rows) {
    collector.countRead();
    const event = parseEventRow(path, row, options.knownProductIds, queryIdFromText, collector);
    if (event === undefined) continue;
    collector.countUsed();
    events.push(event);
    const key = pairKey(event.queryId, event.productId);
    const rows = rowsOfPair.get(key);
    if (rows === undefined) rowsOfPair.set(key, [row.row]);
    else rows.push(row.row);
  }

  const aggregates: EngagementAggregate[] = [];
  for (const aggregate of aggregateEvents(events)) {
    if (aggregate.clicks > aggregate.impressions) {
      const rows = rowsOfPair.get(pairKey(aggregate.queryId, aggregate.productId)) ?? [];
      collector.rejectUsed(
        "clicks_exceed_impressions",
        {
          file: path,
          row: rows[0] ?? 0,
          detail: `pair (${aggregate.queryId}, ${aggregate.productId}) has ${aggregate.clicks} clicks but ${aggregate.impressions} impressions over rows ${rows.join(", ")}`,
        },
        rows.length,
      );
      continue;
    }
    aggregates.push(aggregate);
  }
  return { aggregates, inconsistencies: collector.result() };
}

function parseEventRow(
  path: string,
  row: TableRow,
  knownProductIds: ReadonlySet<string>,
  queryIdFromText: (text: string) => string,
  collector: InconsistencyCollector,
): EngagementEvent | undefined {
  const reject = (reason: Parameters<InconsistencyCollector["reject"]>[0], detail: string): undefined => {
    collector.reject(reason, { file: path, row: row.row, detail });
    return undefined;
  };
  if (row.parseError !== undefined) return reject("malformed_row", row.parseError);

  const queryId = resolveQueryId(row, queryIdFromText);
  if (queryId === undefined) return reject("missing_value", "query and query_id are both blank");
  const productId = row.values.get("product_id");
  if (productId === undefined) return reject("missing_value", "product_id is blank");
  const sessionId = row.values.get("session_id");
  if (sessionId === undefined) return reject("missing_value", "session_id is blank");
  if (!knownProductIds.has(productId)) return reject("unknown_product", `product_id "${productId}" is not in the catalog`);

  const type = row.values.get("event_type");
  if (type === undefined || !isEventType(type)) {
    return reject("unknown_event_type", `event_type "${type ?? ""}" is not one of impression, click, add_to_cart, purchase`);
  }
  const timeText = row.values.get("time");
  const timeMs = timeText === undefined ? Number.NaN : parseIsoTime(timeText);
  if (Number.isNaN(timeMs)) return reject("invalid_time", `time "${timeText ?? ""}" is not an ISO 8601 date-time`);

  const positionText = row.values.get("position");
  if (positionText === undefined) {
    if (type === "impression" || type === "click") return reject("missing_position", `${type} row has no position`);
    return { queryId, productId, type, timeMs, sessionId };
  }
  const position = Number(positionText);
  if (!Number.isInteger(position) || position < 1) return reject("invalid_position", `position "${positionText}" is not an integer of at least 1`);
  return { queryId, productId, type, position, timeMs, sessionId };
}

const AGGREGATE_COUNT_COLUMNS = [
  ["impressions", "impressions"],
  ["clicks", "clicks"],
  ["add_to_cart", "addToCarts"],
  ["purchases", "purchases"],
] as const;

/**
 * Reads a pre-aggregated table (`.csv` or `.jsonl`) with columns `query` or `query_id`, `product_id`,
 * `impressions`, `clicks`, `add_to_cart`, `purchases`, `mean_position` and optionally `window_start`
 * and `window_end`. Rows with negative or non-integer counts, more clicks than impressions, a missing
 * or invalid mean position, an unknown product or an unparsable window are rejected by reason.
 * Several rows of one pair are summed, with the mean position weighted by impressions.
 */
export async function readAggregateTable(path: string, options: ReadAggregateOptions): Promise<EngagementReadResult> {
  const table = await readTable(path);
  requireColumns(path, table, ["product_id", ...AGGREGATE_COUNT_COLUMNS.map(([column]) => column), "mean_position"]);
  requireQueryColumn(path, table);
  const hasWindowColumns = table.columns.has("window_start") && table.columns.has("window_end");
  if (!hasWindowColumns && options.window === undefined) {
    throw new InputError(
      "missing_window",
      { file: path, column: "window_start" },
      "expected window_start and window_end columns or a window option, found neither",
      "Add the two columns (ISO 8601) or pass { window: { start, end } }",
    );
  }
  const collector = new InconsistencyCollector(options.maxExamplesPerReason ?? 5);
  const queryIdFromText = options.queryIdFromText ?? defaultQueryId;
  const byPair = new Map<string, EngagementAggregate>();

  for (const row of table.rows) {
    collector.countRead();
    const aggregate = parseAggregateRow(path, row, options, queryIdFromText, collector);
    if (aggregate === undefined) continue;
    collector.countUsed();
    const key = pairKey(aggregate.queryId, aggregate.productId);
    const previous = byPair.get(key);
    byPair.set(key, previous === undefined ? aggregate : mergeAggregates(previous, aggregate));
  }
  return { aggregates: [...byPair.values()], inconsistencies: collector.result() };
}

function parseAggregateRow(
  path: string,
  row: TableRow,
  options: ReadAggregateOptions,
  queryIdFromText: (text: string) => string,
  collector: InconsistencyCollector,
): EngagementAggregate | undefined {
  const reject = (reason: Parameters<InconsistencyCollector["reject"]>[0], detail: string): undefined => {
    collector.reject(reason, { file: path, row: row.row, detail });
    return undefined;
  };
  if (row.parseError !== undefined) return reject("malformed_row", row.parseError);

  const queryId = resolveQueryId(row, queryIdFromText);
  if (queryId === undefined) return reject("missing_value", "query and query_id are both blank");
  const productId = row.values.get("product_id");
  if (productId === undefined) return reject("missing_value", "product_id is blank");
  if (!options.knownProductIds.has(productId)) return reject("unknown_product", `product_id "${productId}" is not in the catalog`);

  const counts = { impressions: 0, clicks: 0, addToCarts: 0, purchases: 0 };
  for (const [column, field] of AGGREGATE_COUNT_COLUMNS) {
    const text = row.values.get(column);
    if (text === undefined) return reject("missing_value", `${column} is blank`);
    const value = Number(text);
    if (!Number.isFinite(value) || !Number.isInteger(value)) return reject("invalid_number", `${column} "${text}" is not an integer`);
    if (value < 0) return reject("negative_count", `${column} is ${value}`);
    counts[field] = value;
  }
  if (counts.clicks > counts.impressions) {
    return reject("clicks_exceed_impressions", `clicks ${counts.clicks} exceed impressions ${counts.impressions}`);
  }

  const positionText = row.values.get("mean_position");
  if (positionText === undefined) return reject("missing_position", "mean_position is blank");
  const meanPosition = Number(positionText);
  if (!Number.isFinite(meanPosition) || meanPosition < 1) return reject("invalid_position", `mean_position "${positionText}" is not a number of at least 1`);

  const startText = row.values.get("window_start") ?? options.window?.start ?? "";
  const endText = row.values.get("window_end") ?? options.window?.end ?? "";
  const startMs = parseIsoTime(startText);
  const endMs = parseIsoTime(endText);
  if (Number.isNaN(startMs) || Number.isNaN(endMs) || endMs < startMs) {
    return reject("invalid_time", `window "${startText}" to "${endText}" is not an ISO 8601 range with start before end`);
  }
  return {
    queryId,
    productId,
    ...counts,
    meanPosition,
    windowStart: new Date(startMs).toISOString(),
    windowEnd: new Date(endMs).toISOString(),
  };
}

function mergeAggregates(a: EngagementAggregate, b: EngagementAggregate): EngagementAggregate {
  const impressions = a.impressions + b.impressions;
  const meanPosition = impressions > 0 ? (a.meanPosition * a.impressions + b.meanPosition * b.impressions) / impressions : a.meanPosition;
  return {
    queryId: a.queryId,
    productId: a.productId,
    impressions,
    clicks: a.clicks + b.clicks,
    addToCarts: a.addToCarts + b.addToCarts,
    purchases: a.purchases + b.purchases,
    meanPosition,
    // Both windows are ISO strings from toISOString, which sort as text; Math.min would turn them into NaN.
    // biome-ignore lint/complexity/useMathMinMax: the operands are strings
    windowStart: a.windowStart < b.windowStart ? a.windowStart : b.windowStart,
    // biome-ignore lint/complexity/useMathMinMax: the operands are strings
    windowEnd: a.windowEnd > b.windowEnd ? a.windowEnd : b.windowEnd,
  };
}

function requireQueryColumn(path: string, table: Table): void {
  if (table.format === "csv" && !table.columns.has("query") && !table.columns.has("query_id")) {
    throw new InputError("missing_column", { file: path, column: "query" }, "expected a query or query_id column, the header has neither", "Add one of the two columns");
  }
}

function resolveQueryId(row: TableRow, queryIdFromText: (text: string) => string): string | undefined {
  const id = row.values.get("query_id");
  if (id !== undefined) return id;
  const text = row.values.get("query");
  return text === undefined ? undefined : queryIdFromText(text);
}

function defaultQueryId(text: string): string {
  return stableId(normalizeText(text));
}
