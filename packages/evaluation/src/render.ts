import type { SystemComparison } from "./significance.js";

/** A table cell: text as is, a number formatted by `formatMetric`, null shown as "n/a". */
export type TableCell = string | number | null;

/**
 * Formats a metric value with a fixed number of decimals (default 4). null, undefined and NaN become
 * "n/a", so an undefined metric never prints as 0. A negative value that rounds to zero prints
 * without its minus sign.
 */
export function formatMetric(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "n/a";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/**
 * Renders a GitHub-flavoured Markdown table with padded columns. Columns whose cells are all numbers
 * or null are right-aligned. Pipes in text are escaped and line breaks become spaces, so a cell
 * cannot break the table.
 */
export function renderMarkdownTable(
  headers: readonly string[],
  rows: readonly (readonly TableCell[])[],
  digits = 4,
): string {
  rows.forEach((row, index) => {
    if (row.length !== headers.length) {
      throw new RangeError(
        `renderMarkdownTable row ${index} has ${row.length} cells but there are ${headers.length} headers`,
      );
    }
  });

  const rightAligned = headers.map((_, column) =>
    rows.every((row) => typeof row[column] === "number" || row[column] === null),
  );
  const text = [
    headers.map(escapeCell),
    ...rows.map((row) =>
      row.map((cell) => (typeof cell === "string" ? escapeCell(cell) : formatMetric(cell, digits))),
    ),
  ];
  // Markdown needs at least three dashes in a separator cell.
  const widths = headers.map((_, column) => Math.max(3, ...text.map((cells) => cells[column]!.length)));

  const renderRow = (cells: readonly string[]): string => {
    const padded = cells.map((cell, column) =>
      rightAligned[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
    );
    return `| ${padded.join(" | ")} |`;
  };
  const separator = widths.map((width, column) =>
    rightAligned[column] ? `${"-".repeat(width - 1)}:` : "-".repeat(width),
  );

  const [headerCells, ...bodyRows] = text;
  return [renderRow(headerCells!), `| ${separator.join(" | ")} |`, ...bodyRows.map(renderRow)].join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/**
 * Renders the rows of `compareSystems` as a Markdown table with both means, the difference with its
 * confidence interval, and raw and Holm-adjusted p-values.
 */
export function renderComparisonTable(metric: string, rows: readonly SystemComparison[], digits = 4): string {
  return renderMarkdownTable(
    ["system A", "system B", "queries", `${metric} A`, `${metric} B`, "A − B", "CI low", "CI high", "p", "p (Holm)"],
    rows.map((row) => [
      row.systemA,
      row.systemB,
      String(row.queries),
      row.meanA,
      row.meanB,
      row.meanDifference,
      row.ciLower,
      row.ciUpper,
      row.pValue,
      row.pValueHolm,
    ]),
    digits,
  );
}
