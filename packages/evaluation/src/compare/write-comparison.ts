import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Qrels } from "../qrels.js";
import { renderHtmlReport } from "../report/html-report.js";
import { renderMarkdownReport } from "../report/markdown-report.js";
import type { ReportInput } from "../report/types.js";
import { writeTrecQrels, writeTrecRun } from "../trec.js";
import type { Comparison } from "./evaluate-comparison.js";
import type { SystemRun } from "./systems.js";

/** Paths written by `writeComparison`, relative to its folder. */
export const COMPARISON_FILES = {
  metrics: "metrics.json",
  markdown: "report.md",
  html: "report.html",
  trecDir: "trec",
  qrels: "trec/qrels.txt",
} as const;

/**
 * Writes a comparison into `dir`: `metrics.json`, `report.md`, the self-contained `report.html`,
 * and under `trec/` one TREC run file per system (`<system>.run`, scores as ranked) plus
 * `qrels.txt`, so trec_eval can recheck the numbers. Existing files are replaced. Run files keep
 * only the test queries.
 */
export async function writeComparison(
  dir: string,
  comparison: Comparison,
  report: ReportInput,
  trec: { runs: readonly SystemRun[]; qrels: Qrels },
): Promise<void> {
  await mkdir(path.join(dir, COMPARISON_FILES.trecDir), { recursive: true });
  await writeFile(path.join(dir, COMPARISON_FILES.metrics), `${JSON.stringify(comparison, jsonReplacer, 1)}\n`, "utf8");
  await writeFile(path.join(dir, COMPARISON_FILES.markdown), renderMarkdownReport(report), "utf8");
  await writeFile(path.join(dir, COMPARISON_FILES.html), renderHtmlReport(report), "utf8");

  await writeTrecQrels(path.join(dir, COMPARISON_FILES.qrels), trec.qrels);
  for (const run of trec.runs) {
    const rankings = new Map<string, string[]>();
    const scores = new Map<string, number[]>();
    for (const queryId of trec.qrels.keys()) {
      const ranked = run.scoredRankings.get(queryId) ?? [];
      rankings.set(queryId, ranked.map((item) => item.productId));
      scores.set(queryId, ranked.map((item) => item.score));
    }
    const runName = trecRunName(run.name);
    await writeTrecRun(path.join(dir, COMPARISON_FILES.trecDir, `${runName}.run`), rankings, runName, scores);
  }
}

/** Maps a system name to a run name and file name without white space or path separators. */
export function trecRunName(systemName: string): string {
  return systemName.replace(/[^\w.-]+/g, "_");
}

/** JSON has no NaN or Infinity, so they are written as null. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}
