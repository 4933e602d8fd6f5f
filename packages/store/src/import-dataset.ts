import { type Dataset, noProgress, type ProgressCallback } from "@mine-refine/core";
import type { Database } from "./connect.js";
import { describeServerError } from "./database-error.js";
import { StoreError } from "./errors.js";
import {
  checkBatchSize,
  checkJudgment,
  compareKeys,
  comparePairs,
  insertJudgmentBatch,
  PARAMETERS_PER_JUDGMENT,
} from "./judgments.js";
import { products, queries } from "./schema.js";
import type { ImportCounts, ImportOptions, InsertCounts, NewJudgment } from "./types.js";

export const DEFAULT_IMPORT_BATCH_SIZE = 1000;

/**
 * Imports a dataset: products, then queries, then judgments, each in batches of `batchSize` rows.
 * A batch is one INSERT ... ON CONFLICT DO NOTHING statement and so one transaction: a killed
 * import leaves whole batches, and importing again adds only what is missing. Rows are sorted by
 * key inside each batch so that two processes importing the same data lock rows in the same order
 * and wait for each other instead of deadlocking.
 */
export async function importDataset(db: Database, dataset: Dataset, options: ImportOptions): Promise<ImportCounts> {
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE;
  checkBatchSize(batchSize, PARAMETERS_PER_JUDGMENT, "batchSize");
  const progress = options.progress ?? noProgress;

  const judgmentRows: NewJudgment[] = dataset.judgments.map((judgment) => ({
    queryId: judgment.queryId,
    productId: judgment.productId,
    grade: judgment.grade,
    rawLabel: judgment.rawLabel,
    dataset: dataset.name,
    source: options.source,
    judge: options.judge ?? "",
    guidelineVersion: options.guidelineVersion ?? "",
  }));
  // Check every row before the first write, so that a bad row does not leave half an import.
  judgmentRows.forEach(checkJudgment);

  const productCounts = await insertInBatches("products", dataset.products, batchSize, progress, async (batch) => {
    const values = [...batch]
      .sort((a, b) => compareKeys(a.id, b.id))
      .map((product) => ({
        dataset: dataset.name,
        id: product.id,
        title: product.title,
        fields: product.fields,
        locale: product.locale ?? null,
      }));
    return (await db.insert(products).values(values).onConflictDoNothing().returning({ id: products.id })).length;
  });

  const queryCounts = await insertInBatches("queries", dataset.queries, batchSize, progress, async (batch) => {
    const values = [...batch]
      .sort((a, b) => compareKeys(a.id, b.id))
      .map((query) => ({ dataset: dataset.name, id: query.id, text: query.text, locale: query.locale ?? null }));
    return (await db.insert(queries).values(values).onConflictDoNothing().returning({ id: queries.id })).length;
  });

  const judgmentCounts = await insertInBatches("judgments", judgmentRows, batchSize, progress, (batch, start) =>
    insertJudgmentBatch(db, [...batch].sort(comparePairs), start),
  );

  return { products: productCounts, queries: queryCounts, judgments: judgmentCounts };
}

async function insertInBatches<T>(
  table: string,
  rows: readonly T[],
  batchSize: number,
  progress: ProgressCallback,
  insertBatch: (batch: readonly T[], start: number) => Promise<number>,
): Promise<InsertCounts> {
  const task = `import ${table}`;
  let inserted = 0;
  progress({ task, done: 0, total: rows.length });
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    try {
      inserted += await insertBatch(batch, start);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError(
        "invalid_row",
        `Could not insert ${table} ${start} to ${start + batch.length - 1}: ${describeServerError(error)}.`,
        { cause: error },
      );
    }
    progress({ task, done: start + batch.length, total: rows.length });
  }
  return { inserted, skipped: rows.length - inserted };
}
