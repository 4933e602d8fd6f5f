import { formatCount } from "./format.js";
import {
  buildComparisonsTable,
  buildMetricsTable,
  buildQuantileTable,
  buildSegmentTables,
  buildSeparationTable,
  buildThresholdTable,
} from "./report-tables.js";
import type { ReportTable, TableCell } from "./table-model.js";
import type { ReportInput } from "./types.js";
import { validateReportInput } from "./validate-input.js";

/**
 * Escapes Markdown syntax in input text with backslashes and turns line breaks into spaces, so a
 * name cannot break a table, start a heading or list, or open raw HTML such as `<script>`.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n|\r|\n/g, " ").replace(/[\\`*_[\]<>|&~#]/g, (character) => `\\${character}`);
}

/**
 * Renders the report's tables as GitHub-flavoured Markdown, with the same numbers, rounding, bold
 * best values and significance markers as the HTML report but without charts. Raises
 * ReportInputError when the input is inconsistent (see validateReportInput).
 */
export function renderMarkdownReport(input: ReportInput): string {
  validateReportInput(input);
  const { dataset } = input;
  const lines: string[] = [`# ${escapeMarkdown(input.title)}`, ""];
  lines.push(
    `- Data set: ${escapeMarkdown(dataset.name)}`,
    `- Split: ${escapeMarkdown(dataset.split)}`,
    `- Queries: ${formatCount(dataset.queries)}`,
    `- Products: ${formatCount(dataset.products)}`,
    `- Judgments: ${formatCount(dataset.judgments)}`,
    `- Created: ${escapeMarkdown(input.createdAt)}`,
    "",
  );
  for (const note of input.notes ?? []) lines.push(escapeMarkdown(note), "");

  lines.push("## Metrics", "", renderMarkdownTable(buildMetricsTable(input)), "");

  lines.push("## Paired comparisons", "");
  lines.push(input.comparisons.length === 0 ? "No comparisons were reported." : renderMarkdownTable(buildComparisonsTable(input)), "");

  lines.push("## Grade separation", "");
  const quantiles = buildQuantileTable(input);
  lines.push(quantiles === undefined ? "No system reported score quantiles." : renderMarkdownTable(quantiles), "");
  const separation = buildSeparationTable(input);
  lines.push(separation === undefined ? "No system reported grade separation." : renderMarkdownTable(separation), "");

  lines.push("## Thresholds", "");
  const thresholds = buildThresholdTable(input);
  lines.push(thresholds === undefined ? "No system reported threshold sweeps." : renderMarkdownTable(thresholds), "");

  lines.push("## Segments", "");
  const segments = buildSegmentTables(input);
  if (segments.length === 0) lines.push("No segments were reported.", "");
  for (const table of segments) lines.push(renderMarkdownTable(table), "");

  return lines.join("\n");
}

/** Renders a table as a caption line, the table itself with numeric columns right-aligned, and its note. */
function renderMarkdownTable(table: ReportTable): string {
  const numericColumns = table.headers.map(
    (_, column) => table.rows.length > 0 && table.rows.every((row) => row[column]?.numeric === true),
  );
  const header = `| ${table.headers.map(escapeMarkdown).join(" | ")} |`;
  const separator = `| ${numericColumns.map((numeric) => (numeric ? "---:" : "---")).join(" | ")} |`;
  const rows = table.rows.map((row) => `| ${row.map(renderMarkdownCell).join(" | ")} |`);
  const parts = [`**${escapeMarkdown(table.caption)}**`, "", header, separator, ...rows];
  if (table.note !== undefined) parts.push("", escapeMarkdown(table.note));
  return parts.join("\n");
}

// Numeric cells hold formatter output such as "[0.470, 0.510]" or "<0.001", which Markdown shows as
// is, so only text cells, which carry input strings, are escaped.
function renderMarkdownCell(cell: TableCell): string {
  let text = cell.numeric === true ? cell.text : escapeMarkdown(cell.text);
  if (cell.strong === true) text = `**${text}**`;
  if (cell.marker !== undefined) text += ` ${cell.marker}`;
  return text;
}
