import { type Dataset, GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT } from "@mine-refine/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "./errors.js";
import { openStore, type Store } from "./store.js";
import { noteSkippedPostgres, PG_URL, uniqueName } from "./test/backends.js";
import { makeSyntheticDataset } from "./test/synthetic-dataset.js";
import type { NewJudgment, StoredJudgment } from "./types.js";

async function collectPages<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const collected: T[][] = [];
  for await (const page of pages) collected.push(page);
  return collected;
}

async function latestOf(store: Store, dataset: string, sources?: NewJudgment["source"][]): Promise<StoredJudgment[]> {
  const options = sources === undefined ? { dataset } : { dataset, sources };
  return (await collectPages(store.latestJudgments(options))).flat();
}

/** Two queries, three products, three human judgments with Home Depot style mean ratings. */
function tinyDataset(name: string): Dataset {
  return {
    name,
    products: [
      { id: "p1", title: "Cordless drill", fields: { brand: "Ryobi" }, locale: "en" },
      { id: "p2", title: "Drill bit set", fields: {} },
      { id: "p3", title: "Garden hose", fields: { colour: "green" } },
    ],
    queries: [
      { id: "q1", text: "cordless drill", locale: "en" },
      { id: "q2", text: "hose" },
    ],
    judgments: [
      { queryId: "q1", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "3.00" },
      { queryId: "q1", productId: "p2", grade: GRADE_MODERATE, rawLabel: "2.00" },
      { queryId: "q2", productId: "p3", grade: GRADE_RELEVANT, rawLabel: "2.67" },
    ],
  };
}

function judgment(dataset: string, fields: Partial<NewJudgment>): NewJudgment {
  return { dataset, queryId: "q1", productId: "p1", grade: GRADE_RELEVANT, rawLabel: "R", source: "human", ...fields };
}

const backends: { name: string; url: string | undefined }[] = [{ name: "pglite", url: undefined }];
if (PG_URL !== undefined) backends.push({ name: "postgres", url: PG_URL });

describe.each(backends)("store on $name", ({ url }) => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore(url === undefined ? {} : { url });
  }, 30_000);

  afterAll(async () => {
    await store?.close();
  });

  describe("importDataset", () => {
    it("first import counts every row", async () => {
      const name = uniqueName("import-first");
      const counts = await store.importDataset(tinyDataset(name), { source: "human" });
      expect(counts.products).toEqual({ inserted: 3, skipped: 0 });
      expect(counts.queries).toEqual({ inserted: 2, skipped: 0 });
      expect(counts.judgments).toEqual({ inserted: 3, skipped: 0 });
    });

    it("second import adds nothing", async () => {
      const name = uniqueName("import-twice");
      await store.importDataset(tinyDataset(name), { source: "human" });
      const counts = await store.importDataset(tinyDataset(name), { source: "human", batchSize: 2 });
      expect(counts.products).toEqual({ inserted: 0, skipped: 3 });
      expect(counts.queries).toEqual({ inserted: 0, skipped: 2 });
      expect(counts.judgments).toEqual({ inserted: 0, skipped: 3 });
      expect(await latestOf(store, name)).toHaveLength(3);
    });

    it("batches report progress", async () => {
      const name = uniqueName("import-progress");
      const events: string[] = [];
      await store.importDataset(makeSyntheticDataset(name, 5, 1), {
        source: "human",
        batchSize: 2,
        progress: (event) => events.push(`${event.task} ${event.done}/${event.total}`),
      });
      expect(events.filter((event) => event.startsWith("import judgments"))).toEqual([
        "import judgments 0/5",
        "import judgments 2/5",
        "import judgments 4/5",
        "import judgments 5/5",
      ]);
    });

    it("re-import keeps the original grade", async () => {
      const name = uniqueName("import-keep");
      await store.importDataset(tinyDataset(name), { source: "human" });
      const changed = tinyDataset(name);
      changed.judgments[0] = { queryId: "q1", productId: "p1", grade: GRADE_IRRELEVANT, rawLabel: "1.00" };
      const counts = await store.importDataset(changed, { source: "human" });
      expect(counts.judgments.inserted).toBe(0);
      const stored = (await latestOf(store, name)).find((row) => row.productId === "p1");
      expect(stored?.grade).toBe(GRADE_RELEVANT);
      expect(stored?.rawLabel).toBe("3.00");
    });

    it("rejects a batch size above the parameter limit", async () => {
      const attempt = store.importDataset(tinyDataset(uniqueName("import-batch")), { source: "human", batchSize: 100_000 });
      await expect(attempt).rejects.toThrow(/batchSize must be an integer from 1 to 6553/);
    });

    it("rejects a judgment of an unknown product", async () => {
      const dataset = tinyDataset(uniqueName("import-orphan"));
      dataset.judgments.push({ queryId: "q1", productId: "p404", grade: GRADE_RELEVANT, rawLabel: "3" });
      const error = await store.importDataset(dataset, { source: "human" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe("invalid_row");
      expect((error as StoreError).message).toMatch(/not stored/);
    });
  });

  describe("addJudgments", () => {
    it("same identity twice is a no-op", async () => {
      const name = uniqueName("add-same");
      await store.importDataset(tinyDataset(name), { source: "human" });
      const row = judgment(name, { source: "llm", judge: "model-a", guidelineVersion: "v1", grade: GRADE_MODERATE });
      expect(await store.addJudgments([row])).toEqual({ inserted: 1, skipped: 0 });
      expect(await store.addJudgments([{ ...row, grade: GRADE_IRRELEVANT }])).toEqual({ inserted: 0, skipped: 1 });
      const stored = (await latestOf(store, name, ["llm"]))[0];
      expect(stored?.grade).toBe(GRADE_MODERATE);
    });

    it("new guideline version adds a row", async () => {
      const name = uniqueName("add-version");
      await store.importDataset(tinyDataset(name), { source: "human" });
      const first = judgment(name, { source: "llm", judge: "model-a", guidelineVersion: "v1", createdAt: new Date("2024-01-01T00:00:00Z") });
      const second: NewJudgment = { ...first, guidelineVersion: "v2", grade: GRADE_MODERATE, createdAt: new Date("2024-02-01T00:00:00Z") };
      expect(await store.addJudgments([first, second])).toEqual({ inserted: 2, skipped: 0 });
      const stored = (await latestOf(store, name, ["llm"]))[0];
      expect(stored?.guidelineVersion).toBe("v2");
      expect(stored?.grade).toBe(GRADE_MODERATE);
    });

    it("rejects grade 3", async () => {
      const row = { ...judgment("any", {}), grade: 3 } as unknown as NewJudgment;
      await expect(store.addJudgments([row])).rejects.toThrow(/Judgment 0 \(query "q1", product "p1"\) has grade 3/);
    });

    it("rejects an unknown source", async () => {
      const row = { ...judgment("any", {}), source: "crowd" } as unknown as NewJudgment;
      await expect(store.addJudgments([row])).rejects.toThrow(/has source "crowd"/);
    });

    it("rejects confidence above 1", async () => {
      await expect(store.addJudgments([judgment("any", { confidence: 1.5 })])).rejects.toThrow(/confidence 1.5/);
    });
  });

  describe("latestJudgments", () => {
    let name: string;

    beforeAll(async () => {
      name = uniqueName("latest");
      await store.importDataset(tinyDataset(name), { source: "human" });
      const older = new Date("2024-01-01T00:00:00Z");
      const newer = new Date("2024-03-01T00:00:00Z");
      await store.addJudgments([
        // Pair (q1, p1): every source, so precedence decides.
        judgment(name, { source: "llm", judge: "model-a", grade: GRADE_MODERATE, rawLabel: "llm", createdAt: newer }),
        judgment(name, { source: "audit", judge: "model-b", grade: GRADE_IRRELEVANT, rawLabel: "audit", createdAt: older }),
        judgment(name, { source: "expert", judge: "ann", grade: GRADE_MODERATE, rawLabel: "expert", createdAt: older }),
        // Pair (q1, p2): two model judges, so recency decides within one level.
        judgment(name, { productId: "p2", source: "judge", judge: "local", grade: GRADE_IRRELEVANT, rawLabel: "old", createdAt: older }),
        judgment(name, { productId: "p2", source: "llm", judge: "model-a", grade: GRADE_RELEVANT, rawLabel: "new", createdAt: newer }),
      ]);
    });

    it("expert outranks audit, llm and human", async () => {
      const stored = (await latestOf(store, name)).find((row) => row.productId === "p1");
      expect(stored?.source).toBe("expert");
    });

    it("audit outranks llm without experts", async () => {
      const stored = (await latestOf(store, name, ["human", "llm", "audit"])).find((row) => row.productId === "p1");
      expect(stored?.source).toBe("audit");
    });

    it("llm outranks human", async () => {
      const stored = (await latestOf(store, name, ["human", "llm"])).find((row) => row.productId === "p1");
      expect(stored?.rawLabel).toBe("llm");
    });

    it("newest wins within a level", async () => {
      const stored = (await latestOf(store, name, ["judge", "llm"])).find((row) => row.productId === "p2");
      expect(stored?.rawLabel).toBe("new");
    });

    it("human only returns the imported labels", async () => {
      const labels = (await latestOf(store, name, ["human"])).map((row) => row.rawLabel);
      expect(labels).toEqual(["3.00", "2.00", "2.67"]);
    });

    it("empty source list returns nothing", async () => {
      expect(await latestOf(store, name, [])).toEqual([]);
    });

    it("queryIds keeps only those queries", async () => {
      const rows = (await collectPages(store.latestJudgments({ dataset: name, queryIds: ["q2"] }))).flat();
      expect(rows.map((row) => `${row.queryId}/${row.productId}`)).toEqual(["q2/p3"]);
    });
  });

  describe("pagination", () => {
    let name: string;

    beforeAll(async () => {
      name = uniqueName("pages");
      await store.importDataset(makeSyntheticDataset(name, 3, 3), { source: "human" });
      // A second source for every pair must not add pairs to the pages.
      const regrades = makeSyntheticDataset(name, 3, 3).judgments.map((row) => ({ ...row, dataset: name, source: "llm" as const }));
      await store.addJudgments(regrades);
    });

    it("page sizes follow pageSize", async () => {
      const pages = await collectPages(store.latestJudgments({ dataset: name, pageSize: 2 }));
      expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2, 1]);
    });

    it("pages list each pair once", async () => {
      const pages = await collectPages(store.latestJudgments({ dataset: name, pageSize: 2 }));
      const pairs = pages.flat().map((row) => `${row.queryId}/${row.productId}`);
      expect(new Set(pairs).size).toBe(9);
    });

    it("exact multiple ends without an empty page", async () => {
      const pages = await collectPages(store.latestJudgments({ dataset: name, pageSize: 3 }));
      expect(pages.map((page) => page.length)).toEqual([3, 3, 3]);
    });

    it("rejects pageSize 0", async () => {
      await expect(collectPages(store.latestJudgments({ dataset: name, pageSize: 0 }))).rejects.toThrow(/pageSize must be a positive integer/);
    });
  });

  describe("loadDataset", () => {
    it("round trip returns the imported dataset", async () => {
      const name = uniqueName("load");
      const original = tinyDataset(name);
      await store.importDataset(original, { source: "human" });
      const loaded = await store.loadDataset(name, { pageSize: 2 });
      expect(loaded).toEqual(original);
    });

    it("chosen sources replace human grades", async () => {
      const name = uniqueName("load-sources");
      await store.importDataset(tinyDataset(name), { source: "human" });
      await store.addJudgments([judgment(name, { source: "audit", grade: GRADE_IRRELEVANT, rawLabel: "audit" })]);
      const loaded = await store.loadDataset(name, { sources: ["human", "audit"] });
      expect(loaded.judgments[0]).toEqual({ queryId: "q1", productId: "p1", grade: GRADE_IRRELEVANT, rawLabel: "audit" });
    });

    it("unknown name gives an empty dataset", async () => {
      expect(await store.loadDataset(uniqueName("missing"))).toEqual(expect.objectContaining({ products: [], queries: [], judgments: [] }));
    });
  });

  describe("engagement", () => {
    const windowStart = new Date("2024-01-01T00:00:00Z");
    const windowEnd = new Date("2024-01-08T00:00:00Z");

    it("upsert replaces the counts of a window", async () => {
      const name = uniqueName("engagement");
      const row = {
        dataset: name,
        queryId: "q1",
        productId: "p1",
        windowStart,
        windowEnd,
        impressions: 100,
        clicks: 10,
        addToCarts: 2,
        purchases: 1,
        meanPosition: 3.5,
      };
      await store.upsertEngagement([row, { ...row, productId: "p2", meanPosition: undefined }]);
      await store.upsertEngagement([{ ...row, clicks: 12 }]);
      const rows = (await collectPages(store.engagement({ dataset: name, pageSize: 1 }))).flat();
      expect(rows).toEqual([{ ...row, clicks: 12 }, { ...row, productId: "p2", meanPosition: undefined }]);
    });

    it("rejects an empty window", async () => {
      const row = {
        dataset: uniqueName("engagement-window"),
        queryId: "q1",
        productId: "p1",
        windowStart,
        windowEnd: windowStart,
        impressions: 1,
        clicks: 0,
        addToCarts: 0,
        purchases: 0,
        meanPosition: 1,
      };
      await expect(store.upsertEngagement([row])).rejects.toThrow(/windowStart must precede windowEnd/);
    });
  });

  describe("audit findings", () => {
    it("same pair and rule is added once", async () => {
      const name = uniqueName("audit-once");
      const finding = { dataset: name, queryId: "q1", productId: "p1", rule: "clicked-irrelevant", confidence: 0.8, evidence: { ctr: 0.4 } };
      expect((await store.addAuditFindings([finding])).inserted).toBe(1);
      expect((await store.addAuditFindings([{ ...finding, confidence: 0.9 }])).skipped).toBe(1);
    });

    it("resolve links the re-grade", async () => {
      const name = uniqueName("audit-resolve");
      await store.importDataset(tinyDataset(name), { source: "human" });
      const { ids } = await store.addAuditFindings([
        { dataset: name, queryId: "q1", productId: "p1", rule: "ignored-relevant", confidence: 0.7, evidence: { impressions: 500, clicks: 0 } },
        { dataset: name, queryId: "q1", productId: "p2", rule: "ignored-relevant", confidence: 0.6, evidence: {} },
      ]);
      await store.addJudgments([judgment(name, { source: "audit", judge: "model-b", grade: GRADE_IRRELEVANT })]);
      const regrade = (await latestOf(store, name, ["audit"]))[0]!;
      const resolved = await store.resolveAuditFinding(ids[0]!, { status: "resolved", judgmentId: regrade.id });
      expect(resolved.resolutionJudgmentId).toBe(regrade.id);
      const open = (await collectPages(store.auditFindings({ dataset: name, status: "open" }))).flat();
      expect(open.map((finding) => finding.productId)).toEqual(["p2"]);
    });

    it("resolve rejects an unknown judgment", async () => {
      const name = uniqueName("audit-bad-judgment");
      const { ids } = await store.addAuditFindings([{ dataset: name, queryId: "q", productId: "p", rule: "r", confidence: 0.5, evidence: {} }]);
      await expect(store.resolveAuditFinding(ids[0]!, { status: "resolved", judgmentId: 987_654_321 })).rejects.toThrow(/no judgment has that id/);
    });

    it("resolve rejects an unknown finding", async () => {
      await expect(store.resolveAuditFinding(987_654_321, { status: "dismissed" })).rejects.toThrow(/No audit finding has id 987654321/);
    });
  });

  describe("judge cache", () => {
    it("first writer wins", async () => {
      const key = uniqueName("request-hash");
      const entry = { key, judge: "model-a", response: { grade: GRADE_RELEVANT }, promptTokens: 120, completionTokens: 3, costUsd: 0.0002 };
      expect(await store.cachePut(entry)).toBe(true);
      expect(await store.cachePut({ ...entry, response: { grade: GRADE_IRRELEVANT } })).toBe(false);
      expect((await store.cacheGet(key))?.response).toEqual({ grade: GRADE_RELEVANT });
    });

    it("missing key returns undefined", async () => {
      expect(await store.cacheGet(uniqueName("absent"))).toBeUndefined();
    });
  });

  describe("runs", () => {
    it("stages and metrics are recorded", async () => {
      const id = uniqueName("run");
      await store.createRun(id, { seed: 7 });
      const startedAt = new Date("2024-05-01T10:00:00Z");
      const finishedAt = new Date("2024-05-01T10:05:00Z");
      await store.updateRunStage(id, "stage1", "running", { startedAt });
      await store.updateRunStage(id, "mining", "pending");
      await store.updateRunStage(id, "stage1", "done", { startedAt, finishedAt });
      await store.finishRun(id, "succeeded", { ndcg10: 0.61 });
      const run = await store.getRun(id);
      expect(run?.stages).toEqual({ stage1: { status: "done", startedAt, finishedAt }, mining: { status: "pending" } });
      expect(run?.status).toBe("succeeded");
      expect(run?.metrics).toEqual({ ndcg10: 0.61 });
      expect((await store.listRuns()).map((listed) => listed.id)).toContain(id);
    });

    it("duplicate id is rejected", async () => {
      const id = uniqueName("run-twice");
      await store.createRun(id, {});
      await expect(store.createRun(id, {})).rejects.toThrow(/already stored/);
    });

    it("unknown run is reported", async () => {
      await expect(store.updateRunStage(uniqueName("no-run"), "stage1", "running")).rejects.toThrow(/No run has id/);
    });

    it("unknown stage status is rejected", async () => {
      const id = uniqueName("run-status");
      await store.createRun(id, {});
      await expect(store.updateRunStage(id, "stage1", "paused" as "running")).rejects.toThrow(/status "paused"/);
    });
  });
});

if (PG_URL === undefined) describe("store on postgres", noteSkippedPostgres);
