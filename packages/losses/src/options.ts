import { ConfigError, type ConfigIssue } from "@mine-refine/core";

/** Collects option problems and raises one `ConfigError` that lists all of them. */
export class OptionChecker {
  private readonly issues: ConfigIssue[] = [];

  constructor(private readonly source: string) {}

  /** Records a problem unless `value` is a finite number inside the stated bounds. */
  number(
    path: string,
    value: number,
    bounds: { min?: number; minExclusive?: boolean; max?: number; integer?: boolean },
  ): void {
    const { min, minExclusive = false, max, integer = false } = bounds;
    const belowMin = min !== undefined && (minExclusive ? value <= min : value < min);
    const aboveMax = max !== undefined && value > max;
    if (Number.isFinite(value) && !belowMin && !aboveMax && (!integer || Number.isInteger(value))) return;
    const parts: string[] = [];
    if (min !== undefined) parts.push(`${minExclusive ? ">" : "≥"} ${min}`);
    if (max !== undefined) parts.push(`≤ ${max}`);
    const kind = integer ? "an integer" : "a finite number";
    this.issues.push({ path, message: `expected ${kind}${parts.length > 0 ? ` ${parts.join(" and ")}` : ""}, received ${value}` });
  }

  /** Records a problem unless `value` is one of `allowed`. */
  oneOf(path: string, value: unknown, allowed: readonly string[]): void {
    if (typeof value === "string" && allowed.includes(value)) return;
    this.issues.push({ path, message: `expected one of ${allowed.map((a) => `"${a}"`).join(", ")}, received ${JSON.stringify(value)}` });
  }

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** Raises the collected problems, if any. */
  throwIfAny(): void {
    if (this.issues.length > 0) throw new ConfigError(this.source, this.issues);
  }
}
