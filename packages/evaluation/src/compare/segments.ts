import { type Query, tokenize } from "@mine-refine/core";
import type { Qrels } from "../qrels.js";
import { compareIds } from "./hybrid.js";

/** A named subset of the evaluated queries. */
export interface QuerySegment {
  /** Such as "locale=en", "words=3-4" or "frequency=head". */
  name: string;
  queryIds: string[];
}

/** Word-count buckets of query length, inclusive bounds. */
export const QUERY_LENGTH_BUCKETS: readonly { name: string; min: number; max: number }[] = [
  { name: "words=1", min: 1, max: 1 },
  { name: "words=2", min: 2, max: 2 },
  { name: "words=3-4", min: 3, max: 4 },
  { name: "words=5+", min: 5, max: Number.POSITIVE_INFINITY },
];

/**
 * Splits judged queries into segments by locale, by length in words (`tokenize`, so Japanese and
 * Chinese count dictionary words), and into head, torso and tail thirds by frequency.
 *
 * Frequency is the number of judged products of the query, because in these data sets each query
 * text occurs once and no engagement is attached to the evaluated queries. Queries are sorted by
 * that count, descending, with ties broken by query id. The first third is the head, the next
 * third the torso and the rest the tail. Segments without queries are left out. Queries without a locale form
 * "locale=unknown".
 */
export function segmentQueries(queries: readonly Query[], qrels: Qrels): QuerySegment[] {
  const judged = queries.filter((query) => qrels.has(query.id));
  const segments: QuerySegment[] = [];

  const byLocale = new Map<string, string[]>();
  for (const query of judged) {
    const locale = query.locale ?? "unknown";
    const list = byLocale.get(locale) ?? [];
    list.push(query.id);
    byLocale.set(locale, list);
  }
  for (const locale of [...byLocale.keys()].sort()) segments.push({ name: `locale=${locale}`, queryIds: byLocale.get(locale)! });

  for (const bucket of QUERY_LENGTH_BUCKETS) {
    const queryIds = judged
      .filter((query) => {
        const words = tokenize(query.text).length;
        return words >= bucket.min && words <= bucket.max;
      })
      .map((query) => query.id);
    segments.push({ name: bucket.name, queryIds });
  }

  const byFrequency = judged
    .map((query) => ({ id: query.id, judged: qrels.get(query.id)!.size }))
    .sort((a, b) => (a.judged !== b.judged ? b.judged - a.judged : compareIds(a.id, b.id)));
  const third = Math.ceil(byFrequency.length / 3);
  const names = ["frequency=head", "frequency=torso", "frequency=tail"];
  names.forEach((name, i) => {
    segments.push({ name, queryIds: byFrequency.slice(i * third, (i + 1) * third).map((item) => item.id) });
  });

  return segments.filter((segment) => segment.queryIds.length > 0);
}
