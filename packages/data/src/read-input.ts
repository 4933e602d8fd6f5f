import { readFile } from "node:fs/promises";
import { InputError, InternalError } from "@mine-refine/core";
import { unzipSync } from "fflate";
import { decompress as decompressZstd } from "fzstd";

/**
 * Text encodings the adapters accept. "latin1" uses the WHATWG decoder, which reads that label as
 * windows-1252 and maps every byte to a character, so only "utf-8" can detect a wrong encoding.
 */
export type TextEncodingName = "latin1" | "utf-8";

/**
 * Reads a whole input file. `optionName` is the option that set the path, so the error for a
 * missing file names the option to change.
 */
export async function readInputBytes(path: string, optionName: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new InputError(
        "file_not_found",
        { file: path },
        "file not found",
        `Check the option "${optionName}". Tests and scripts look for the public data sets under the folder named by the environment variable MINE_REFINE_DATA_DIR`,
        { cause: error },
      );
    }
    if (code === "EISDIR") {
      throw new InputError("file_not_found", { file: path }, "expected a file but found a directory", `Set "${optionName}" to the data file inside it`, { cause: error });
    }
    throw new InputError("file_unreadable", { file: path }, `could not read the file (${code ?? String(error)})`, "Check its permissions", { cause: error });
  }
}

/**
 * Decodes bytes as text. UTF-8 decoding is strict: an invalid byte raises `invalid_encoding` with
 * its byte offset instead of silently becoming U+FFFD. A leading byte order mark is dropped.
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingName, file: string): string {
  if (encoding === "latin1") return new TextDecoder("latin1").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    const offset = findInvalidUtf8Offset(bytes);
    if (offset < 0) throw new InternalError(`TextDecoder rejected ${file} as UTF-8, but no ill-formed sequence was found`);
    const invalidBytes = [...bytes.subarray(offset, offset + 4)].map((byte) => `0x${byte.toString(16).padStart(2, "0")}`).join(" ");
    throw new InputError(
      "invalid_encoding",
      { file },
      `the file is not valid UTF-8 (the first invalid sequence starts at byte offset ${offset}: ${invalidBytes})`,
      'If the file is ISO-8859-1 (Latin-1), as the Kaggle Home Depot files are, pass encoding: "latin1"; otherwise convert it to UTF-8',
      { cause: error },
    );
  }
}

/**
 * Returns the byte offset where the first ill-formed UTF-8 sequence starts (its lead byte, as
 * Python's decoder reports it), or -1 when the bytes are valid UTF-8.
 */
export function findInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    let min: number;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else {
      return i;
    }
    let codePoint = lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      // A truncated sequence at the end of the file is invalid at its lead byte.
      if (next === undefined) return i;
      if ((next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values above U+10FFFF are invalid at the lead byte.
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += length;
  }
  return -1;
}

/** A file extracted from a zip archive. */
export interface ZipMember {
  name: string;
  bytes: Uint8Array;
}

/**
 * Extracts the one CSV member of a zip archive. An archive with several CSV members must name the
 * wanted one in `memberName`.
 */
export function unzipCsvMember(bytes: Uint8Array, file: string, memberName?: string): ZipMember {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, { filter: (entry) => (memberName === undefined ? entry.name.toLowerCase().endsWith(".csv") : entry.name === memberName) });
  } catch (error) {
    throw new InputError("invalid_archive", { file }, `the zip archive could not be read (${(error as Error).message})`, "Check that the download is complete, for example with `unzip -t`", { cause: error });
  }
  const names = Object.keys(members);
  const [only] = names;
  if (names.length === 1 && only !== undefined) return { name: only, bytes: members[only]! };
  if (names.length === 0) {
    const expectedMember = memberName === undefined ? ".csv member" : `member "${memberName}"`;
    throw new InputError("missing_member", { file }, `the zip archive contains no ${expectedMember}`, "Pass the path of the CSV file itself or of the original Kaggle archive");
  }
  throw new InputError("ambiguous_member", { file }, `the zip archive contains several CSV members (${names.join(", ")})`, "Extract the wanted CSV file and pass its path");
}

/** Decompresses a Zstandard frame, raising `invalid_archive` with the file name when it is damaged. */
export function unzstd(bytes: Uint8Array, file: string): Uint8Array {
  try {
    return decompressZstd(bytes);
  } catch (error) {
    throw new InputError("invalid_archive", { file }, `the Zstandard data could not be decompressed (${(error as Error).message})`, "Check that the file is complete and really zstd-compressed", { cause: error });
  }
}
