import { readFile, writeFile } from "node:fs/promises";
import { GRADE_NAMES, InputError, isGrade, type Grade } from "@mine-refine/core";
import { parse } from "csv-parse/sync";
import { pairKey } from "./engagement.js";
import type { AuditedJudgment } from "./regrade.js";
import type { AuditFinding, AuditRule } from "./rules.js";

const EXPORT_COLUMNS = [
  "query_id",
  "product_id",
  "current_grade",
  "rule",
  "confidence",
  "suggested_grade",
  "impressions",
  "clicks",
  "add_to_cart",
  "purchases",
  "expected_examinations",
  "signal",
  "observed_rate",
  "posterior_mean",
  "expert_grade",
  "expert_note",
] as const;

/**
 * Writes findings as a UTF-8 CSV for expert review, one row per finding, with blank `expert_grade`
 * and `expert_note` columns for the reviewer to fill in.
 */
export async function exportFindingsCsv(path: string, findings: readonly AuditFinding[]): Promise<void> {
  const lines = [EXPORT_COLUMNS.join(",")];
  for (const finding of findings) {
    const evidence = finding.evidence;
    const cells = [
      finding.queryId,
      finding.productId,
      String(finding.currentGrade),
      finding.rule,
      finding.confidence.toFixed(4),
      String(finding.suggestedGrade),
      String(evidence.impressions),
      String(evidence.clicks),
      String(evidence.addToCarts),
      String(evidence.purchases),
      evidence.expectedExaminations.toFixed(2),
      evidence.signal,
      evidence.observedRate.toFixed(4),
      evidence.posteriorMean.toFixed(4),
      "",
      "",
    ];
    lines.push(cells.map(quoteCsv).join(","));
  }
  await writeFile(path, `${lines.join("\n")}\n`, "utf8");
}

function quoteCsv(value: string): string {
  return /[",\r\n]/u.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export interface ImportExpertOptions {
  /** Id recorded as the judge of the imported grades. Default "expert". */
  expertId?: string;
  /** Guideline version the expert followed. Default "expert-review". */
  guidelineVersion?: string;
}

export interface ExpertImportResult {
  judgments: AuditedJudgment[];
  /** Rows whose `expert_grade` is blank, which the expert has not reviewed yet. */
  unreviewedRows: number;
}

const REQUIRED_IMPORT_COLUMNS = ["query_id", "product_id", "current_grade", "expert_grade"] as const;
const RULES: readonly AuditRule[] = ["under_graded", "over_graded"];

/**
 * Reads a review sheet written by `exportFindingsCsv` after an expert filled in `expert_grade`
 * (0, 1 or 2). Rows with a blank expert grade are counted, not imported. Throws an `InputError`
 * naming the row and column on the first invalid grade, unknown rule, blank id or repeated pair.
 */
export async function importExpertCsv(path: string, options: ImportExpertOptions = {}): Promise<ExpertImportResult> {
  const expertId = options.expertId ?? "expert";
  const guidelineVersion = options.guidelineVersion ?? "expert-review";
  let records: string[][];
  try {
    records = parse(await readFile(path, "utf8"), { skip_empty_lines: true, relax_column_count: true, bom: true }) as string[][];
  } catch (cause) {
    throw new InputError("invalid_csv", { file: path }, `the review sheet could not be read as CSV (${(cause as Error).message})`, "Save the sheet as UTF-8 CSV", { cause });
  }
  const header = (records[0] ?? []).map((name) => name.trim());
  const missing = REQUIRED_IMPORT_COLUMNS.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new InputError(
      "missing_column",
      { file: path, column: missing[0] },
      `expected columns ${REQUIRED_IMPORT_COLUMNS.join(", ")}, the header lacks ${missing.join(", ")}`,
      "Start from a sheet written by exportFindingsCsv and keep its header row",
    );
  }
  const column = (record: string[], name: string): string => (record[header.indexOf(name)] ?? "").trim();

  const judgments: AuditedJudgment[] = [];
  const seen = new Set<string>();
  let unreviewedRows = 0;
  for (let i = 1; i < records.length; i++) {
    const record = records[i]!;
    const location = { file: path, row: i };
    const queryId = column(record, "query_id");
    const productId = column(record, "product_id");
    if (queryId === "" || productId === "") {
      throw new InputError("missing_value", { ...location, column: queryId === "" ? "query_id" : "product_id" }, "expected an id, the cell is blank", "Restore the id from the exported sheet");
    }
    const key = pairKey(queryId, productId);
    if (seen.has(key)) {
      throw new InputError("duplicate_pair", { ...location, column: "product_id" }, `pair (${queryId}, ${productId}) appears more than once`, "Keep one row per pair");
    }
    seen.add(key);
    const previousGrade = parseGradeCell(column(record, "current_grade"), { ...location, column: "current_grade" });
    const expertText = column(record, "expert_grade");
    if (expertText === "") {
      unreviewedRows++;
      continue;
    }
    const grade = parseGradeCell(expertText, { ...location, column: "expert_grade" });
    const ruleText = header.includes("rule") ? column(record, "rule") : "";
    if (ruleText !== "" && !(RULES as readonly string[]).includes(ruleText)) {
      throw new InputError("invalid_rule", { ...location, column: "rule" }, `expected ${RULES.join(" or ")}, received "${ruleText}"`, "Restore the rule from the exported sheet or clear the cell");
    }
    judgments.push({
      queryId,
      productId,
      grade,
      rawLabel: expertText,
      provenance: {
        source: "audit",
        judgeId: expertId,
        guidelineVersion,
        confidence: 1,
        ...(ruleText === "" ? {} : { rule: ruleText as AuditRule }),
        previousGrade,
      },
    });
  }
  return { judgments, unreviewedRows };
}

function parseGradeCell(text: string, location: { file: string; row: number; column: string }): Grade {
  const value = Number(text);
  if (text === "" || !isGrade(value)) {
    const names = Object.entries(GRADE_NAMES).map(([grade, name]) => `${grade} (${name})`).join(", ");
    throw new InputError("invalid_grade", location, `expected a grade ${names}, received "${text}"`, "Enter 0, 1 or 2");
  }
  return value;
}
