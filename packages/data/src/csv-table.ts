import { InputError } from "@mine-refine/core";
import { parse } from "csv-parse/sync";

/** A parsed CSV file: the header and the data rows, each row as long as the header. */
export interface CsvTable {
  header: string[];
  /** Data rows in file order. Index i is data row i + 1 in error messages, the header not counted. */
  rows: string[][];
}

/**
 * Parses CSV text with a header line. A row whose field count differs from the header's, or a
 * broken quote, raises `invalid_csv` naming the data row.
 */
export function parseCsvTable(text: string, file: string): CsvTable {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_quotes: false }) as string[][];
  } catch (error) {
    const details = error as { message: string; records?: number; lines?: number };
    // csv-parse counts the header as a record, so the failing record is data row `records`.
    const row = details.records ?? undefined;
    throw new InputError(
      "invalid_csv",
      { file, ...(row !== undefined ? { row } : {}) },
      `the CSV could not be parsed (${details.message})`,
      "Check the quoting and the number of fields on that row",
      { cause: error },
    );
  }
  const header = records[0];
  if (header === undefined) {
    throw new InputError("empty_dataset", { file }, "the file is empty", "Expected a header line followed by one row per judged pair");
  }
  return { header: header.map((name) => name.trim()), rows: records.slice(1) };
}

/**
 * Returns the index of each required column in the header, raising `missing_column` that names the
 * first absent one and lists the columns found.
 */
export function findColumns<K extends string>(header: readonly string[], wanted: Record<K, string>, file: string, hint: string): Record<K, number> {
  const indexes = {} as Record<K, number>;
  for (const key of Object.keys(wanted) as K[]) {
    const name = wanted[key];
    const index = header.indexOf(name);
    if (index < 0) {
      throw new InputError("missing_column", { file, column: name }, `the column is missing (columns found: ${header.join(", ")})`, hint);
    }
    indexes[key] = index;
  }
  return indexes;
}
