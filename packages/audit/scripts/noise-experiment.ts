/**
 * Runs the label-noise experiment on the Home Depot training labels and prints the scores as JSON.
 *
 *   MINE_REFINE_DATA_DIR=/path/to/data pnpm --filter @mine-refine/audit exec tsx scripts/noise-experiment.ts [meanClicksPerQuery ...]
 *
 * Each argument is one run at that traffic level (default: the fitted 8.6 clicks per query).
 * Grades follow the mean rating: at least 2.5 is relevant, at least 1.75 moderately relevant,
 * otherwise irrelevant. Queries get the id stableId(normalizeText(search term)).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, type Judgment, normalizeText, stableId } from "@mine-refine/core";
import { parse } from "csv-parse/sync";
import { runNoiseExperiment } from "../src/index.js";


function loadHomeDepotJudgments(dataDir: string): Judgment[] {
  const zipPath = join(dataDir, "homedepot-kaggle", "train.csv.zip");
  const bytes = execFileSync("unzip", ["-p", zipPath, "train.csv"], { maxBuffer: 64 * 1024 * 1024 });
  const records = parse(bytes.toString("latin1"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const seen = new Set<string>();
  const judgments: Judgment[] = [];
  for (const record of records) {
    const queryId = stableId(normalizeText(record.search_term ?? ""));
    const productId = record.product_uid ?? "";
    const key = `${queryId}\t${productId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rating = Number(record.relevance);
    let grade: Grade = GRADE_IRRELEVANT;
    if (rating >= 2.5) grade = GRADE_RELEVANT;
    else if (rating >= 1.75) grade = GRADE_MODERATE;
    judgments.push({ queryId, productId, grade, rawLabel: record.relevance ?? "" });
  }
  return judgments;
}

const dataDir = process.env.MINE_REFINE_DATA_DIR;
if (dataDir === undefined) {
  process.stderr.write("Set MINE_REFINE_DATA_DIR to the folder that contains homedepot-kaggle/.\n");
  process.exit(1);
}
const judgments = loadHomeDepotJudgments(dataDir);
const trafficLevels = process.argv.slice(2).map(Number);
for (const meanClicksPerQuery of trafficLevels.length > 0 ? trafficLevels : [8.6]) {
  for (const [name, rules] of [
    ["grade 0 under, grade 2 over", {}],
    ["all grades", { underGradedGrades: [GRADE_IRRELEVANT, GRADE_MODERATE], overGradedGrades: [GRADE_MODERATE, GRADE_RELEVANT] }],
  ] as const) {
    const startedMs = Date.now();
    const result = await runNoiseExperiment({ judgments, flipFraction: 0.1, seed: 7, judgeAccuracy: 0.9, simulation: { meanClicksPerQuery }, rules });
    const seconds = (Date.now() - startedMs) / 1000;
    process.stdout.write(`${JSON.stringify({ meanClicksPerQuery, rules: name, pairs: judgments.length, seconds, ...result, examination: result.examination.slice(0, 5) })}\n`);
  }
}
