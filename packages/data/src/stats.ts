import { type Dataset, GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_NAMES, GRADE_RELEVANT, GRADES, type Grade, type QuerySplit, SPLIT_NAMES, type SplitName } from "@mine-refine/core";

/** Counts of one part of a dataset. */
export interface DatasetCounts {
  products: number;
  queries: number;
  judgments: number;
  judgmentsByGrade: Record<Grade, number>;
}

export interface DatasetStats extends DatasetCounts {
  name: string;
  /** Queries with at least one judgment. */
  judgedQueries: number;
  /**
   * Counts per locale. The key "unknown" collects items without a locale, and a judgment counts under
   * its query's locale.
   */
  byLocale: Record<string, DatasetCounts>;
  /** Counts per split when a split was given. `products` is the whole catalog in each. */
  bySplit?: Record<SplitName, DatasetCounts>;
}

const UNKNOWN_LOCALE = "unknown";

/** Counts products, queries and judgments, by grade, by locale and, given a split, by split. */
export function datasetStats(dataset: Dataset, split?: QuerySplit): DatasetStats {
  const byLocale: Record<string, DatasetCounts> = {};
  const localeCounts = (locale: string | undefined): DatasetCounts => {
    const key = locale ?? UNKNOWN_LOCALE;
    byLocale[key] ??= emptyCounts();
    return byLocale[key];
  };

  for (const product of dataset.products) localeCounts(product.locale).products += 1;
  const queryLocale = new Map<string, string | undefined>();
  for (const query of dataset.queries) {
    queryLocale.set(query.id, query.locale);
    localeCounts(query.locale).queries += 1;
  }

  const totals = emptyCounts();
  totals.products = dataset.products.length;
  totals.queries = dataset.queries.length;
  const judgedQueries = new Set<string>();
  for (const judgment of dataset.judgments) {
    totals.judgments += 1;
    totals.judgmentsByGrade[judgment.grade] += 1;
    judgedQueries.add(judgment.queryId);
    const counts = localeCounts(queryLocale.get(judgment.queryId));
    counts.judgments += 1;
    counts.judgmentsByGrade[judgment.grade] += 1;
  }

  const stats: DatasetStats = { name: dataset.name, ...totals, judgedQueries: judgedQueries.size, byLocale };
  if (split !== undefined) stats.bySplit = splitCounts(dataset, split);
  return stats;
}

function splitCounts(dataset: Dataset, split: QuerySplit): Record<SplitName, DatasetCounts> {
  const splitOf = new Map<string, SplitName>();
  const result = {} as Record<SplitName, DatasetCounts>;
  for (const name of SPLIT_NAMES) {
    result[name] = emptyCounts();
    result[name].products = dataset.products.length;
    result[name].queries = split[name].length;
    for (const id of split[name]) splitOf.set(id, name);
  }
  for (const judgment of dataset.judgments) {
    const name = splitOf.get(judgment.queryId);
    if (name === undefined) continue;
    result[name].judgments += 1;
    result[name].judgmentsByGrade[judgment.grade] += 1;
  }
  return result;
}

function emptyCounts(): DatasetCounts {
  return {
    products: 0,
    queries: 0,
    judgments: 0,
    judgmentsByGrade: { [GRADE_IRRELEVANT]: 0, [GRADE_MODERATE]: 0, [GRADE_RELEVANT]: 0 },
  };
}

/**
 * Renders the stats as a plain-text table for a terminal: one row for the whole dataset, one per
 * locale and one per split, with right-aligned counts.
 */
export function formatDatasetStats(stats: DatasetStats): string {
  const gradeHeaders = [...GRADES].reverse().map((grade) => `${grade} ${GRADE_NAMES[grade]}`);
  const header = ["", "products", "queries", "judgments", ...gradeHeaders];
  const line = (label: string, counts: DatasetCounts): string[] => [
    label,
    String(counts.products),
    String(counts.queries),
    String(counts.judgments),
    ...[...GRADES].reverse().map((grade) => String(counts.judgmentsByGrade[grade])),
  ];

  const rows: string[][] = [header, line("all", stats)];
  for (const locale of Object.keys(stats.byLocale).sort()) rows.push(line(`locale ${locale}`, stats.byLocale[locale]!));
  if (stats.bySplit !== undefined) {
    for (const name of SPLIT_NAMES) rows.push(line(`split ${name}`, stats.bySplit[name]));
  }

  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const render = (row: string[]): string => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ").trimEnd();
  const title = `Dataset "${stats.name}": ${stats.judgedQueries} of ${stats.queries} queries judged`;
  return [title, render(header), ...rows.slice(1).map(render)].join("\n");
}
