import {
  GRADE_LABELS,
  REPORT_GRADES,
  formatCount,
  formatDifference,
  formatInterval,
  formatPValue,
  formatValue,
  gradeKey,
} from "./format.js";
import { MARKER_HIGHER, MARKER_LOWER, type ReportTable, SIGNIFICANCE_LEVEL, type TableCell, flagBest, significanceMarker } from "./table-model.js";
import type { ReportInput } from "./types.js";

function textCell(text: string): TableCell {
  return { text };
}

function numberCell(text: string, strong = false): TableCell {
  return strong ? { text, numeric: true, strong } : { text, numeric: true };
}

/**
 * Builds the main table: one row per system, and per metric a mean column and a 95% CI column. The
 * first system is the reference for the significance markers on the other rows.
 */
export function buildMetricsTable(input: ReportInput): ReportTable {
  const reference = input.systems[0]?.name ?? "";
  const headers = ["System", "Kind"];
  for (const metric of input.metrics) headers.push(metric, `${metric} 95% CI`);

  const bestByMetric = input.metrics.map((metric) => flagBest(input.systems.map((system) => system.metrics[metric]?.mean)));
  const rows = input.systems.map((system, row) => {
    const cells: TableCell[] = [textCell(row === 0 ? `${system.name} (reference)` : system.name), textCell(system.kind)];
    input.metrics.forEach((metric, column) => {
      const entry = system.metrics[metric];
      const cell = numberCell(formatValue(entry?.mean), bestByMetric[column]![row]);
      const significance = row === 0 ? undefined : significanceMarker(input, metric, reference, system.name);
      if (significance !== undefined) {
        cell.marker = significance.marker;
        cell.markerTitle = significance.title;
      }
      cells.push(cell, numberCell(formatInterval(entry?.ciLow, entry?.ciHigh)));
    });
    return cells;
  });

  return {
    id: "metrics",
    caption: "Metric means over queries with 95% bootstrap confidence intervals",
    headers,
    rows,
    note:
      `${MARKER_HIGHER} / ${MARKER_LOWER}: significantly higher / lower than ${reference} on that metric ` +
      `(paired comparison, p < ${SIGNIFICANCE_LEVEL}). Bold: best mean in the column after rounding to 3 decimals. ` +
      "– : not available.",
  };
}

/** Builds the table of every pairwise comparison, in input order. */
export function buildComparisonsTable(input: ReportInput): ReportTable {
  return {
    id: "comparisons",
    caption: "Paired comparisons (difference is A − B)",
    headers: ["Metric", "A", "B", "A − B", "95% CI", "p"],
    rows: input.comparisons.map((comparison) => [
      textCell(comparison.metric),
      textCell(comparison.a),
      textCell(comparison.b),
      numberCell(formatDifference(comparison.meanDifference)),
      numberCell(formatInterval(comparison.ciLow, comparison.ciHigh)),
      numberCell(formatPValue(comparison.pValue), comparison.pValue < SIGNIFICANCE_LEVEL),
    ]),
    note: `Bold p: below ${SIGNIFICANCE_LEVEL}.`,
  };
}

/** Orders quantile names such as "p05", "p50", "p95" by their number; other names keep their first-seen order after them. */
export function orderQuantileNames(names: Iterable<string>): string[] {
  const unique = [...new Set(names)];
  const percent = (name: string): number => {
    const match = /^p(\d+(?:\.\d+)?)$/.exec(name);
    return match === null ? Number.POSITIVE_INFINITY : Number(match[1]);
  };
  return unique
    .map((name, index) => ({ name, index, percent: percent(name) }))
    .sort((a, b) => a.percent - b.percent || a.index - b.index)
    .map((entry) => entry.name);
}

/** Builds the per-grade score quantile table, or undefined when no system reports quantiles. */
export function buildQuantileTable(input: ReportInput): ReportTable | undefined {
  const systems = input.systems.filter((system) => system.quantiles !== undefined);
  if (systems.length === 0) return undefined;
  const names = orderQuantileNames(
    systems.flatMap((system) => REPORT_GRADES.flatMap((grade) => Object.keys(system.quantiles![gradeKey(grade)] ?? {}))),
  );
  const rows = systems.flatMap((system) =>
    REPORT_GRADES.map((grade) => {
      const quantiles = system.quantiles![gradeKey(grade)] ?? {};
      return [textCell(system.name), textCell(GRADE_LABELS[grade]), ...names.map((name) => numberCell(formatValue(quantiles[name])))];
    }),
  );
  return {
    id: "quantiles",
    caption: "Score quantiles of judged pairs per grade",
    headers: ["System", "Grade", ...names],
    rows,
    note: "A threshold separates two grades cleanly when the lower grade's high quantiles sit below the higher grade's low quantiles.",
  };
}

const SEPARATION_COLUMNS = [
  { pair: "2>1", scope: "withinQuery", header: "P(2 > 1) within query" },
  { pair: "2>1", scope: "global", header: "P(2 > 1) global" },
  { pair: "1>0", scope: "withinQuery", header: "P(1 > 0) within query" },
  { pair: "1>0", scope: "global", header: "P(1 > 0) global" },
] as const;

/** Builds the grade separation table, or undefined when no system reports separation. */
export function buildSeparationTable(input: ReportInput): ReportTable | undefined {
  const systems = input.systems.filter((system) => system.separation !== undefined);
  if (systems.length === 0) return undefined;
  const best = SEPARATION_COLUMNS.map((column) => flagBest(systems.map((system) => system.separation![column.pair][column.scope])));
  return {
    id: "separation",
    caption: "Grade separation: probability that a pair of the higher grade scores above a pair of the lower grade",
    headers: ["System", ...SEPARATION_COLUMNS.map((column) => column.header)],
    rows: systems.map((system, row) => [
      textCell(system.name),
      ...SEPARATION_COLUMNS.map((column, index) =>
        numberCell(formatValue(system.separation![column.pair][column.scope]), best[index]![row]),
      ),
    ]),
    note:
      "Within query compares pairs of the same query (what ranking needs); global compares pairs across queries " +
      "(what one fixed threshold needs). 0.5 is chance. Bold: best in the column.",
  };
}

/** Builds the table of thresholds chosen on dev with their test precision and recall, or undefined when there are none. */
export function buildThresholdTable(input: ReportInput): ReportTable | undefined {
  const rows: TableCell[][] = [];
  for (const system of input.systems) {
    for (const curve of system.thresholdCurves ?? []) {
      rows.push([
        textCell(system.name),
        textCell(`grade ≥ ${curve.minGrade}`),
        numberCell(formatValue(curve.chosen?.threshold)),
        numberCell(formatValue(curve.chosen?.precision)),
        numberCell(formatValue(curve.chosen?.recall)),
        numberCell(formatCount(curve.points.length)),
      ]);
    }
  }
  if (rows.length === 0) return undefined;
  return {
    id: "thresholds",
    caption: "Score thresholds chosen on dev, with precision and recall on test",
    headers: ["System", "Target", "Threshold", "Precision", "Recall", "Sweep points"],
    rows,
  };
}

/** Builds one segment table per metric: a row per segment, a column per system, best per row in bold. */
export function buildSegmentTables(input: ReportInput): ReportTable[] {
  if (input.segments.length === 0) return [];
  return input.metrics.map((metric, index) => ({
    id: `segments-${index + 1}`,
    caption: `${metric} by segment`,
    headers: ["Segment", "Queries", ...input.systems.map((system) => system.name)],
    rows: input.segments.map((segment) => {
      const values = input.systems.map((system) => segment.values[system.name]?.[metric]);
      const best = flagBest(values);
      return [
        textCell(segment.segment),
        numberCell(formatCount(segment.queries)),
        ...values.map((value, column) => numberCell(formatValue(value), best[column])),
      ];
    }),
  }));
}
