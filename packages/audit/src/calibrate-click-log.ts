import { InputError, normalizeText } from "@mine-refine/core";
import { fitZipfExponent } from "./power-law.js";
import { readTable, requireColumns } from "./table-file.js";

/** Shape of a real search → click log, as the engagement simulator uses it. */
export interface ClickLogCalibration {
  clickCount: number;
  /** Distinct queries after `normalizeText` (NFKC, lower case, collapsed spaces). */
  queryCount: number;
  productCount: number;
  /** Zipf exponent s of query frequency: the query of frequency rank r gets a share proportional to r^-s. */
  queryFrequencyExponent: number;
  meanClicksPerQuery: number;
  /** Zipf exponent of clicks over a query's clicked products ranked by clicks, pooled over queries. */
  clickRankExponent: number;
  /** Distinct clicked products per query. */
  distinctClickedProducts: {
    mean: number;
    median: number;
    max: number;
    /** Share of queries with exactly k distinct clicked products at index k - 1, for k = 1..10; the last entry is 10 or more. */
    shareByCount: number[];
  };
}

/**
 * Fits the query-frequency and clicks-per-query shape of a click log (CSV with at least `query` and
 * `sku` columns, one row per click, as in the Best Buy search → click log). Rows with a blank query
 * or SKU are skipped. Both exponents are maximum-likelihood Zipf fits (see `fitZipfExponent`).
 */
export async function calibrateFromClickLog(path: string): Promise<ClickLogCalibration> {
  const table = await readTable(path);
  requireColumns(path, table, ["query", "sku"]);
  const clicksByQuery = new Map<string, Map<string, number>>();
  const products = new Set<string>();
  let clickCount = 0;
  for (const row of table.rows) {
    const query = row.values.get("query");
    const sku = row.values.get("sku");
    if (query === undefined || sku === undefined) continue;
    const queryText = normalizeText(query);
    let clicks = clicksByQuery.get(queryText);
    if (clicks === undefined) {
      clicks = new Map();
      clicksByQuery.set(queryText, clicks);
    }
    clicks.set(sku, (clicks.get(sku) ?? 0) + 1);
    products.add(sku);
    clickCount++;
  }
  if (clickCount === 0) {
    throw new InputError("empty_click_log", { file: path }, "expected click rows with a query and a sku, found none", "Check that the file is a search → click log");
  }

  const queryTotals: number[] = [];
  const clicksWithinQueries: number[][] = [];
  const distinctCounts: number[] = [];
  for (const clicks of clicksByQuery.values()) {
    const perProduct = [...clicks.values()].sort((a, b) => b - a);
    queryTotals.push(perProduct.reduce((sum, count) => sum + count, 0));
    clicksWithinQueries.push(perProduct);
    distinctCounts.push(perProduct.length);
  }
  queryTotals.sort((a, b) => b - a);
  distinctCounts.sort((a, b) => a - b);

  const shareByCount = new Array<number>(10).fill(0);
  for (const count of distinctCounts) shareByCount[Math.min(count, 10) - 1]! += 1 / distinctCounts.length;

  return {
    clickCount,
    queryCount: clicksByQuery.size,
    productCount: products.size,
    queryFrequencyExponent: fitZipfExponent([queryTotals]),
    meanClicksPerQuery: clickCount / clicksByQuery.size,
    clickRankExponent: fitZipfExponent(clicksWithinQueries),
    distinctClickedProducts: {
      mean: distinctCounts.reduce((sum, count) => sum + count, 0) / distinctCounts.length,
      median: distinctCounts[Math.floor(distinctCounts.length / 2)]!,
      max: distinctCounts[distinctCounts.length - 1]!,
      shareByCount,
    },
  };
}
