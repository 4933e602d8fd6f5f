import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, stableId } from "@mine-refine/core";
import { unzipSync } from "fflate";
import type { GradedPair } from "../judge.js";
import { makeGradedPair, makePair } from "./pairs.js";

/**
 * Reads the first `maxRows` rows of the Home Depot `train.csv` (latin-1, inside `train.csv.zip`) from
 * `<dataDir>/homedepot-kaggle`. Mean ratings map to grades as the dataset adapters do: at least 2.5
 * is relevant, at least 1.75 moderately relevant, else irrelevant.
 */
export async function readHomeDepotSample(dataDir: string, maxRows: number): Promise<GradedPair[]> {
  const zip = unzipSync(new Uint8Array(await readFile(join(dataDir, "homedepot-kaggle", "train.csv.zip"))));
  const bytes = zip["train.csv"];
  if (bytes === undefined) throw new Error(`train.csv is missing from ${join(dataDir, "homedepot-kaggle", "train.csv.zip")}`);
  const rows = parseCsv(new TextDecoder("latin1").decode(bytes));
  const header = rows[0] ?? [];
  const column = (name: string): number => header.indexOf(name);
  const [productColumn, titleColumn, queryColumn, relevanceColumn] = ["product_uid", "product_title", "search_term", "relevance"].map(column);
  return rows.slice(1, maxRows + 1).map((row) => {
    const query = row[queryColumn ?? -1] ?? "";
    const rating = Number(row[relevanceColumn ?? -1]);
    return makeGradedPair(makePair(stableId(query), query, row[productColumn ?? -1] ?? "", row[titleColumn ?? -1] ?? ""), gradeOfRating(rating));
  });
}

function gradeOfRating(rating: number): Grade {
  if (rating >= 2.5) return GRADE_RELEVANT;
  if (rating >= 1.75) return GRADE_MODERATE;
  return GRADE_IRRELEVANT;
}

/** Parses RFC 4180 CSV: quoted fields may contain commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += char;
    }
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}
