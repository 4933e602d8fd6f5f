import { openStore, type Store } from "@mine-refine/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreJudgeCache } from "./store-judge-cache.js";

let store: Store;

// Opening PGlite takes seconds, so the tests share one in-memory store and use distinct keys.
beforeAll(async () => {
  store = await openStore({});
}, 60_000);

afterAll(async () => {
  await store.close();
});

const ENTRY = { body: { choices: [{ message: { content: '{"grade":2}' } }] }, usage: { promptTokens: 1000, completionTokens: 10 }, model: "m-1", createdAtMs: 0 };

describe("StoreJudgeCache", () => {
  it("returns undefined for an unknown key", async () => {
    expect(await new StoreJudgeCache(store, "llm").get("nope")).toBeUndefined();
  });

  it("round-trips body, model and usage", async () => {
    const cache = new StoreJudgeCache(store, "llm");
    await cache.put("k1", ENTRY);
    const cached = await cache.get("k1");
    expect(cached?.body).toEqual(ENTRY.body);
    expect(cached?.model).toBe("m-1");
    expect(cached?.usage).toEqual(ENTRY.usage);
  });

  it("stores the cost from pricing", async () => {
    // 1000 prompt tokens at $2 per million plus 10 completion tokens at $10 per million = $0.0021.
    await new StoreJudgeCache(store, "llm", { inputPerMillion: 2, outputPerMillion: 10 }).put("k2", ENTRY);
    expect((await store.cacheGet("k2"))?.costUsd).toBeCloseTo(0.0021, 10);
  });

  it("keeps the first response for a key", async () => {
    const cache = new StoreJudgeCache(store, "llm");
    await cache.put("k3", ENTRY);
    await cache.put("k3", { ...ENTRY, model: "m-2" });
    expect((await cache.get("k3"))?.model).toBe("m-1");
  });
});
