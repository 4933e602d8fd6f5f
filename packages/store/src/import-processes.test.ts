import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset } from "@mine-refine/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "./store.js";
import { noteSkippedPostgres, PG_URL, uniqueName } from "./test/backends.js";
import { type ChildEvent, startChild } from "./test/child-process.js";
import { judgmentIndexOf, makeSyntheticDataset } from "./test/synthetic-dataset.js";

/** 100 queries x 60 products: 6,000 judgments, 40 batches of 150. */
const QUERY_COUNT = 100;
const PRODUCTS_PER_QUERY = 60;
const BATCH_SIZE = 150;
const BATCH_COUNT = (QUERY_COUNT * PRODUCTS_PER_QUERY) / BATCH_SIZE;
/** Committed judgment batches the child reports before it is killed. */
const BATCHES_BEFORE_KILL = 3;

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "mine-refine-import-"));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function writeDataset(dataset: Dataset): string {
  const file = join(root, `${dataset.name}.json`);
  writeFileSync(file, JSON.stringify(dataset));
  return file;
}

/** Stored judgment count of each import batch, from the judgment index in each product id. */
async function countsPerBatch(store: Store, dataset: string): Promise<number[]> {
  const counts = new Array<number>(BATCH_COUNT).fill(0);
  for await (const page of store.latestJudgments({ dataset, pageSize: 5000 })) {
    for (const row of page) {
      const batch = Math.floor(judgmentIndexOf(row.productId) / BATCH_SIZE);
      counts[batch] = (counts[batch] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * Starts a child importing `dataset` into the store at `target` (a directory, or the PostgreSQL
 * URL when undefined) and SIGKILLs it after it reports BATCHES_BEFORE_KILL committed batches.
 */
async function importAndKill(dataset: Dataset, directory: string | undefined) {
  const args = ["import", writeDataset(dataset), String(BATCH_SIZE)];
  if (directory !== undefined) args.push(directory);
  const env: Record<string, string> = directory === undefined ? { MINE_REFINE_PG_URL: PG_URL! } : {};
  let batches = 0;
  const child = startChild(args, env, (event: ChildEvent, process) => {
    if (event.event === "batch" && ++batches === BATCHES_BEFORE_KILL) process.kill("SIGKILL");
  });
  return child.exited;
}

interface KillCase {
  name: string;
  directory: () => string | undefined;
  open: () => Promise<Store>;
}

const killCases: KillCase[] = [
  {
    name: "pglite",
    directory: () => join(root, "killed-store"),
    open: () => openStore({ directory: join(root, "killed-store") }),
  },
];
if (PG_URL !== undefined) killCases.push({ name: "postgres", directory: () => undefined, open: () => openStore({ url: PG_URL }) });

describe.each(killCases)("killed import on $name", ({ directory, open }) => {
  const dataset = makeSyntheticDataset(uniqueName("killed"), QUERY_COUNT, PRODUCTS_PER_QUERY);
  let exit: Awaited<ReturnType<typeof importAndKill>>;
  let store: Store;
  let before: number[];

  beforeAll(async () => {
    exit = await importAndKill(dataset, directory());
    store = await open();
    before = await countsPerBatch(store, dataset.name);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
  });

  it("child died by SIGKILL", () => {
    expect(exit.signal).toBe("SIGKILL");
  });

  it("every batch is whole or absent", () => {
    const partial = before.flatMap((count, batch) => (count === 0 || count === BATCH_SIZE ? [] : [`batch ${batch}: ${count}`]));
    expect(partial).toEqual([]);
  });

  it("reported batches are stored", () => {
    expect(before.slice(0, BATCHES_BEFORE_KILL)).toEqual(new Array(BATCHES_BEFORE_KILL).fill(BATCH_SIZE));
  });

  it("kill landed before the end", () => {
    expect(before.filter((count) => count === 0).length).toBeGreaterThan(0);
  });

  it("second import completes the dataset", { timeout: 60_000 }, async () => {
    const stored = before.reduce((sum, count) => sum + count, 0);
    const counts = await store.importDataset(dataset, { source: "human", batchSize: BATCH_SIZE });
    expect(counts.judgments).toEqual({ inserted: dataset.judgments.length - stored, skipped: stored });
    expect(await countsPerBatch(store, dataset.name)).toEqual(new Array(BATCH_COUNT).fill(BATCH_SIZE));
  });
});

if (PG_URL === undefined) {
  describe("concurrent imports on postgres", noteSkippedPostgres);
} else {
  const pgUrl: string = PG_URL;

  describe("concurrent imports on postgres", () => {
    const dataset = makeSyntheticDataset(uniqueName("concurrent"), 40, 100);
    let results: { code: number | null; events: ChildEvent[]; stderr: string }[];
    let store: Store;

    beforeAll(async () => {
      const file = writeDataset(dataset);
      const env = { MINE_REFINE_PG_URL: pgUrl };
      const children = [startChild(["import", file, "200"], env), startChild(["import", file, "200"], env)];
      results = await Promise.all(children.map((child) => child.exited));
      store = await openStore({ url: pgUrl });
    }, 60_000);

    afterAll(async () => {
      await store?.close();
    });

    it("both importers succeed", () => {
      expect(results.map((result) => result.events.at(-1)?.event)).toEqual(["done", "done"]);
    });

    it("inserted counts add up to the dataset", () => {
      const inserted = results.reduce((sum, result) => sum + (result.events.at(-1)?.counts?.judgments?.inserted ?? 0), 0);
      expect(inserted).toBe(dataset.judgments.length);
    });

    it("products are stored once", () => {
      const inserted = results.reduce((sum, result) => sum + (result.events.at(-1)?.counts?.products?.inserted ?? 0), 0);
      expect(inserted).toBe(dataset.products.length);
    });

    it("stored dataset equals the input", async () => {
      const loaded = await store.loadDataset(dataset.name, { pageSize: 2000 });
      expect(loaded.judgments).toEqual(dataset.judgments);
    });
  });
}
