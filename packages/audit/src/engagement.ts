/** Kinds of engagement event a log may contain, in funnel order. */
export const EVENT_TYPES = ["impression", "click", "add_to_cart", "purchase"] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** One shopper action on one search result. */
export interface EngagementEvent {
  queryId: string;
  productId: string;
  type: EventType;
  /** 1-based rank of the product on the result page; absent for add-to-cart and purchase rows without one. */
  position?: number;
  /** Milliseconds since the Unix epoch. */
  timeMs: number;
  sessionId: string;
}

/** Impressions and clicks of one pair at one result position. */
export interface PositionCount {
  impressions: number;
  clicks: number;
}

/** Engagement totals of one (query, product) pair over a time window. */
export interface EngagementAggregate {
  queryId: string;
  productId: string;
  impressions: number;
  clicks: number;
  addToCarts: number;
  purchases: number;
  /** Mean 1-based position over the impressions. */
  meanPosition: number;
  /** Impressions and clicks by 1-based position; absent when the source only has totals. */
  positionCounts?: Map<number, PositionCount>;
  /** ISO 8601 start of the window the totals cover. */
  windowStart: string;
  /** ISO 8601 end of the window the totals cover. */
  windowEnd: string;
}

/** Returns the key that identifies a pair in maps: query id and product id joined by a tab. */
export function pairKey(queryId: string, productId: string): string {
  return `${queryId}\t${productId}`;
}
