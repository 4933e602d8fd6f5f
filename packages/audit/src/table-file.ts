import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { InputError } from "@mine-refine/core";
import { parse } from "csv-parse/sync";

/** One row of a CSV or JSONL table, values as text; `undefined` for a column the row lacks. */
export interface TableRow {
  /** 1-based data row for CSV (header not counted), 1-based line for JSONL. */
  row: number;
  values: ReadonlyMap<string, string>;
  /** Set when the row could not be parsed at all (JSONL line that is not a JSON object). */
  parseError?: string;
}

export interface Table {
  format: "csv" | "jsonl";
  /** Column names of the CSV header, or the union of keys over all JSONL lines. */
  columns: ReadonlySet<string>;
  rows: TableRow[];
}

/**
 * Reads a whole `.csv` (UTF-8, header row, RFC 4180 quoting) or `.jsonl`/`.ndjson` (one JSON object a
 * line) file. Blank values and JSON nulls count as missing.
 * NOTE: the file is read into memory at once; logs of several GB need a streaming reader.
 */
export async function readTable(path: string): Promise<Table> {
  const extension = extname(path).toLowerCase();
  if (extension !== ".csv" && extension !== ".jsonl" && extension !== ".ndjson") {
    throw new InputError(
      "unsupported_format",
      { file: path },
      `expected a file ending in .csv, .jsonl or .ndjson, received "${extension || "(no extension)"}"`,
      "Convert the log to CSV with a header row or to JSON Lines",
    );
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new InputError("file_not_readable", { file: path }, `the file could not be read (${(cause as Error).message})`, "Check the path and its permissions", { cause });
  }
  return extension === ".csv" ? parseCsvTable(path, text) : parseJsonlTable(text);
}

function parseCsvTable(path: string, text: string): Table {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, relax_column_count: true, bom: true }) as string[][];
  } catch (cause) {
    throw new InputError("invalid_csv", { file: path }, `the CSV could not be parsed (${(cause as Error).message})`, "Fix the quoting near the reported line", { cause });
  }
  const header = records[0];
  if (header === undefined) {
    throw new InputError("empty_file", { file: path }, "expected a header row, the file is empty", "Write the column names on the first line");
  }
  const names = header.map((name) => name.trim());
  const rows: TableRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const record = records[i]!;
    const values = new Map<string, string>();
    names.forEach((name, column) => {
      const value = record[column]?.trim();
      if (value !== undefined && value !== "") values.set(name, value);
    });
    rows.push({ row: i, values });
  }
  return { format: "csv", columns: new Set(names), rows };
}

function parseJsonlTable(text: string): Table {
  const columns = new Set<string>();
  const rows: TableRow[] = [];
  const lines = text.split(/\r?\n/u);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const values = new Map<string, string>();
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (cause) {
      rows.push({ row: i + 1, values, parseError: `invalid JSON (${(cause as Error).message})` });
      continue;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      rows.push({ row: i + 1, values, parseError: "expected a JSON object" });
      continue;
    }
    for (const [key, value] of Object.entries(parsed)) {
      columns.add(key);
      if (value === null || value === undefined || value === "") continue;
      values.set(key, typeof value === "string" ? value.trim() : String(value));
    }
    rows.push({ row: i + 1, values });
  }
  return { format: "jsonl", columns, rows };
}

/** Throws when a CSV header lacks a required column. JSONL rows are checked one by one instead. */
export function requireColumns(path: string, table: Table, required: readonly string[]): void {
  if (table.format !== "csv") return;
  const missing = required.filter((name) => !table.columns.has(name));
  if (missing.length > 0) {
    throw new InputError(
      "missing_column",
      { file: path, column: missing[0] },
      `expected columns ${required.join(", ")}, the header lacks ${missing.join(", ")}`,
      "Rename or add the columns in the header row",
    );
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/u;

/**
 * Parses an ISO 8601 date or date-time to epoch milliseconds, NaN when the text is not one. A time
 * without an offset is read as UTC, so results do not depend on the machine's time zone.
 */
export function parseIsoTime(text: string): number {
  const match = ISO_8601.exec(text);
  if (match === null) return Number.NaN;
  const hasTime = match[1] !== undefined;
  const hasOffset = match[4] !== undefined;
  const normalized = text.replace(" ", "T");
  return Date.parse(hasTime && !hasOffset ? `${normalized}Z` : normalized);
}
