import { InputError } from "@mine-refine/core";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";

/** One parquet row as hyparquet returns it: INT64 columns arrive as `bigint`, strings as `string`. */
export type ParquetRow = Record<string, unknown>;

/**
 * Reads the named columns of a parquet file into row objects in file order, raising
 * `missing_column` (with the columns found) or `invalid_parquet`.
 * NOTE: the whole file and every selected row are held in memory at once. Loading the full ESCI
 * products file this way is untested and may need several times the file size in memory.
 */
export async function readParquetRows(bytes: Uint8Array, columns: readonly string[], file: string, hint: string): Promise<ParquetRow[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let found: string[];
  try {
    found = parquetMetadata(buffer).schema.slice(1).map((element) => element.name);
  } catch (error) {
    throw new InputError("invalid_parquet", { file }, `the file is not a readable parquet file (${(error as Error).message})`, "Check that the download is complete", { cause: error });
  }
  for (const column of columns) {
    if (!found.includes(column)) {
      throw new InputError("missing_column", { file, column }, `the column is missing (columns found: ${found.join(", ")})`, hint);
    }
  }
  try {
    return await parquetReadObjects({ file: buffer, columns: [...columns], compressors });
  } catch (error) {
    throw new InputError("invalid_parquet", { file }, `the parquet data could not be decoded (${(error as Error).message})`, "Check that the download is complete", { cause: error });
  }
}
