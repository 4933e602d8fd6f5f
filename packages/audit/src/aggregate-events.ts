import { InternalError } from "@mine-refine/core";
import { type EngagementAggregate, type EngagementEvent, pairKey } from "./engagement.js";

/**
 * Sums events into one aggregate per (query, product) pair, in order of first appearance. Every
 * aggregate gets the window from the earliest to the latest event time. A pair with more clicks
 * than impressions is returned as is; `readEventLog` rejects such pairs, so callers that build
 * events themselves should check.
 */
export function aggregateEvents(events: readonly EngagementEvent[]): EngagementAggregate[] {
  const byPair = new Map<string, EngagementAggregate>();
  const positionSums = new Map<string, number>();
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;

  for (const event of events) {
    firstMs = Math.min(firstMs, event.timeMs);
    lastMs = Math.max(lastMs, event.timeMs);
    const key = pairKey(event.queryId, event.productId);
    let aggregate = byPair.get(key);
    if (aggregate === undefined) {
      aggregate = emptyAggregate(event.queryId, event.productId);
      byPair.set(key, aggregate);
    }
    addEvent(aggregate, event, positionSums, key);
  }

  const windowStart = events.length > 0 ? new Date(firstMs).toISOString() : "";
  const windowEnd = events.length > 0 ? new Date(lastMs).toISOString() : "";
  const aggregates = [...byPair.values()];
  for (const aggregate of aggregates) {
    const positionSum = positionSums.get(pairKey(aggregate.queryId, aggregate.productId)) ?? 0;
    aggregate.meanPosition = aggregate.impressions > 0 ? positionSum / aggregate.impressions : Number.NaN;
    aggregate.windowStart = windowStart;
    aggregate.windowEnd = windowEnd;
  }
  return aggregates;
}

function emptyAggregate(queryId: string, productId: string): EngagementAggregate {
  return {
    queryId,
    productId,
    impressions: 0,
    clicks: 0,
    addToCarts: 0,
    purchases: 0,
    meanPosition: Number.NaN,
    positionCounts: new Map(),
    windowStart: "",
    windowEnd: "",
  };
}

function addEvent(aggregate: EngagementAggregate, event: EngagementEvent, positionSums: Map<string, number>, key: string): void {
  switch (event.type) {
    case "impression": {
      aggregate.impressions++;
      const position = requirePosition(event);
      positionSums.set(key, (positionSums.get(key) ?? 0) + position);
      positionCount(aggregate, position).impressions++;
      return;
    }
    case "click":
      aggregate.clicks++;
      positionCount(aggregate, requirePosition(event)).clicks++;
      return;
    case "add_to_cart":
      aggregate.addToCarts++;
      return;
    case "purchase":
      aggregate.purchases++;
      return;
  }
}

function requirePosition(event: EngagementEvent): number {
  if (event.position === undefined) {
    throw new InternalError(`${event.type} event of pair (${event.queryId}, ${event.productId}) has no position`);
  }
  return event.position;
}

function positionCount(aggregate: EngagementAggregate, position: number) {
  const counts = aggregate.positionCounts!;
  let entry = counts.get(position);
  if (entry === undefined) {
    entry = { impressions: 0, clicks: 0 };
    counts.set(position, entry);
  }
  return entry;
}
