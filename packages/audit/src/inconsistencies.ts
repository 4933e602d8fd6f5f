/** Why an input row was left out of the aggregates. */
export type InconsistencyReason =
  | "unknown_product"
  | "negative_count"
  | "clicks_exceed_impressions"
  | "missing_position"
  | "invalid_position"
  | "unknown_event_type"
  | "invalid_time"
  | "missing_value"
  | "invalid_number"
  | "malformed_row";

/** One rejected row, kept as an example for the person who fixes the log. */
export interface InconsistencyExample {
  file: string;
  /** 1-based data row, the header not counted; for JSONL the 1-based line. */
  row: number;
  detail: string;
}

/** Rejected rows counted by reason, with the first few of each kept as examples. */
export interface InconsistencyReport {
  rowsRead: number;
  rowsUsed: number;
  rejected: Partial<Record<InconsistencyReason, { count: number; examples: InconsistencyExample[] }>>;
}

/** Collects rejected rows while a reader runs. */
export class InconsistencyCollector {
  private readonly report: InconsistencyReport = { rowsRead: 0, rowsUsed: 0, rejected: {} };

  constructor(private readonly maxExamplesPerReason: number) {}

  countRead(): void {
    this.report.rowsRead++;
  }

  countUsed(): void {
    this.report.rowsUsed++;
  }

  reject(reason: InconsistencyReason, example: InconsistencyExample): void {
    const entry = this.report.rejected[reason] ?? { count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < this.maxExamplesPerReason) entry.examples.push(example);
    this.report.rejected[reason] = entry;
  }

  /** Moves a row that was counted as used to rejected, for checks that need the whole pair. */
  rejectUsed(reason: InconsistencyReason, example: InconsistencyExample, rows: number): void {
    this.report.rowsUsed -= rows;
    const entry = this.report.rejected[reason] ?? { count: 0, examples: [] };
    entry.count += rows;
    if (entry.examples.length < this.maxExamplesPerReason) entry.examples.push(example);
    this.report.rejected[reason] = entry;
  }

  result(): InconsistencyReport {
    return this.report;
  }
}

/** Total number of rejected rows over all reasons. */
export function rejectedRowCount(report: InconsistencyReport): number {
  let total = 0;
  for (const entry of Object.values(report.rejected)) total += entry?.count ?? 0;
  return total;
}
