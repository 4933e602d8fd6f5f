import { MineRefineError } from "@mine-refine/core";
import { REPORT_GRADES, gradeKey } from "./format.js";
import type { ReportInput } from "./types.js";

/** One problem in a report input, named by its path such as `systems[1].histogram.counts["2"]`. */
export interface ReportInputIssue {
  path: string;
  message: string;
}

/** A report input that cannot be rendered faithfully. It lists every problem found, not only the first. */
export class ReportInputError extends MineRefineError {
  readonly issues: readonly ReportInputIssue[];
  constructor(issues: readonly ReportInputIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`);
    super(
      "invalid_report_input",
      `Invalid report input (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}\n` +
        "Fix the evaluator output that builds the ReportInput.",
    );
    this.issues = issues;
  }
}

/**
 * Checks what the renderers rely on: at least one system, unique system names, comparisons and
 * segments that name known systems, and histograms whose counts fit their bin edges. Raises
 * ReportInputError listing every problem. Missing metric values are allowed and print as "–".
 */
export function validateReportInput(input: ReportInput): void {
  const issues: ReportInputIssue[] = [];
  const names = new Set<string>();

  if (input.systems.length === 0) {
    issues.push({ path: "systems", message: "expected at least one system, received an empty list" });
  }
  input.systems.forEach((system, index) => {
    if (names.has(system.name)) {
      issues.push({ path: `systems[${index}].name`, message: `duplicate system name ${JSON.stringify(system.name)}; names must be unique` });
    }
    names.add(system.name);
    if (system.histogram !== undefined) checkHistogram(system.histogram, `systems[${index}].histogram`, issues);
  });

  const known = [...names].map((name) => JSON.stringify(name)).join(", ");
  input.comparisons.forEach((comparison, index) => {
    for (const side of ["a", "b"] as const) {
      if (!names.has(comparison[side])) {
        issues.push({
          path: `comparisons[${index}].${side}`,
          message: `unknown system ${JSON.stringify(comparison[side])}; expected one of ${known}`,
        });
      }
    }
  });
  input.segments.forEach((segment, index) => {
    for (const system of Object.keys(segment.values)) {
      if (!names.has(system)) {
        issues.push({
          path: `segments[${index}].values`,
          message: `unknown system ${JSON.stringify(system)}; expected one of ${known}`,
        });
      }
    }
  });

  if (issues.length > 0) throw new ReportInputError(issues);
}

function checkHistogram(histogram: NonNullable<ReportInput["systems"][number]["histogram"]>, path: string, issues: ReportInputIssue[]): void {
  const { edges } = histogram;
  if (edges.length < 2) {
    issues.push({ path: `${path}.edges`, message: `expected at least 2 bin edges, received ${edges.length}` });
    return;
  }
  for (let index = 1; index < edges.length; index += 1) {
    const previous = edges[index - 1]!;
    const current = edges[index]!;
    if (!Number.isFinite(previous) || !Number.isFinite(current) || !(current > previous)) {
      issues.push({ path: `${path}.edges[${index}]`, message: `expected finite, strictly increasing edges, received ${previous} then ${current}` });
      return;
    }
  }
  for (const grade of REPORT_GRADES) {
    const key = gradeKey(grade);
    const counts = histogram.counts[key];
    const countsPath = `${path}.counts["${key}"]`;
    if (counts === undefined) {
      issues.push({ path: countsPath, message: "missing; expected one count per bin for every grade" });
      continue;
    }
    if (counts.length !== edges.length - 1) {
      issues.push({
        path: countsPath,
        message: `expected ${edges.length - 1} counts (one per bin between ${edges.length} edges), received ${counts.length}`,
      });
    }
    const invalid = counts.findIndex((count) => !Number.isFinite(count) || count < 0);
    if (invalid >= 0) {
      issues.push({ path: `${countsPath}[${invalid}]`, message: `expected a non-negative count, received ${counts[invalid]}` });
    }
  }
}
