import { type Dataset, InputError, type InputLocation, type Judgment, type Logger, type Product, type Query, silentLogger } from "@mine-refine/core";

/**
 * What an adapter does when the input contradicts itself: one product id with two titles, or one
 * (query, product) pair with two different labels. "error" raises an `InputError`. "keep-first"
 * keeps the first row, drops the later one and logs a warning. The Kaggle Home Depot train file
 * needs "keep-first": it has 15 products with two titles and 5 pairs whose query texts differ only
 * in white space but whose ratings differ.
 */
export type ConflictPolicy = "error" | "keep-first";

/** Conflicts logged one by one before the builder only counts them. */
const MAX_LOGGED_CONFLICTS = 5;

interface Seen {
  row: number | undefined;
  value: string;
}

/**
 * Collects products, queries and judgments from the rows of a source, checks them against each other
 * and returns the dataset. Rows are numbered as the adapter passes them in `InputLocation`.
 */
export class DatasetBuilder {
  private readonly products = new Map<string, Product>();
  private readonly productRows = new Map<string, Seen>();
  private readonly queries = new Map<string, Query>();
  private readonly judgments: Judgment[] = [];
  private readonly judgmentRows = new Map<string, Seen>();
  private conflictsKept = 0;
  private duplicatePairs = 0;

  constructor(
    private readonly name: string,
    private readonly policy: ConflictPolicy,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Adds a product unless one with the same id exists. A second title for an id is a conflict. */
  addProduct(product: Product, location: InputLocation): void {
    const seen = this.productRows.get(product.id);
    if (seen === undefined) {
      this.products.set(product.id, product);
      this.productRows.set(product.id, { row: location.row, value: product.title });
      return;
    }
    if (seen.value === product.title) return;
    this.reportConflict(
      "conflicting_product",
      location,
      `product "${product.id}" has the title "${product.title}", but ${describeRow(seen.row)} gave it "${seen.value}"`,
    );
  }

  hasProduct(id: string): boolean {
    return this.products.has(id);
  }

  /** Adds a query unless its id exists, so the first text and locale seen for an id are kept. */
  addQuery(query: Query): void {
    if (!this.queries.has(query.id)) this.queries.set(query.id, query);
  }

  /**
   * Adds a judgment. A repeat of a pair with the same raw label is dropped and counted in a debug log.
   * A repeat with a different raw label is a conflict.
   */
  addJudgment(judgment: Judgment, location: InputLocation): void {
    const key = `${judgment.queryId}\u0000${judgment.productId}`;
    const seen = this.judgmentRows.get(key);
    if (seen === undefined) {
      this.judgments.push(judgment);
      this.judgmentRows.set(key, { row: location.row, value: judgment.rawLabel });
      return;
    }
    if (seen.value === judgment.rawLabel) {
      this.duplicatePairs += 1;
      return;
    }
    this.reportConflict(
      "conflicting_judgment",
      location,
      `the pair (query "${this.queries.get(judgment.queryId)?.text ?? judgment.queryId}", product "${judgment.productId}") has the label "${judgment.rawLabel}", but ${describeRow(seen.row)} gave it "${seen.value}"`,
    );
  }

  /** Returns the dataset, raising `empty_dataset` when no judgment was added. */
  build(file: string, emptyHint: string): Dataset {
    if (this.judgments.length === 0) {
      throw new InputError("empty_dataset", { file }, "the data set contains no judged (query, product) pair", emptyHint);
    }
    if (this.conflictsKept > MAX_LOGGED_CONFLICTS) {
      this.logger.log("warn", "Kept the first row of conflicting rows", { file, conflicts: this.conflictsKept, logged: MAX_LOGGED_CONFLICTS });
    }
    if (this.duplicatePairs > 0) {
      this.logger.log("debug", "Dropped repeated (query, product) pairs with the same label", { file, duplicates: this.duplicatePairs });
    }
    return {
      name: this.name,
      products: [...this.products.values()],
      queries: [...this.queries.values()],
      judgments: this.judgments,
    };
  }

  private reportConflict(code: string, location: InputLocation, problem: string): void {
    if (this.policy === "error") {
      throw new InputError(code, location, problem, 'Fix the row, or pass onConflict: "keep-first" to keep the first row and log the rest');
    }
    this.conflictsKept += 1;
    if (this.conflictsKept <= MAX_LOGGED_CONFLICTS) {
      this.logger.log("warn", `Kept the first row: ${problem}`, { code, file: location.file, row: location.row });
    }
  }
}

function describeRow(row: number | undefined): string {
  return row === undefined ? "an earlier row" : `row ${row}`;
}
