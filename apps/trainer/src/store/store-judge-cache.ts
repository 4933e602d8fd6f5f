import type { CachedResponse, JudgeCache, TokenPricing } from "@mine-refine/labeling";
import type { Store } from "@mine-refine/store";

/** Contents of the store's `response` column for one LLM response. */
interface StoredResponse {
  body: unknown;
  model: string;
}

/**
 * A `JudgeCache` over the store's judge cache table, so LLM responses survive the run folder and
 * are shared by every run that uses the same store. The first response stored for a key wins.
 */
export class StoreJudgeCache implements JudgeCache {
  constructor(
    private readonly store: Store,
    /** Judge id recorded with each response. */
    private readonly judgeId: string,
    /** Prices used to fill the stored cost; without them the cost is stored as 0. */
    private readonly pricing?: TokenPricing,
  ) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    const row = await this.store.cacheGet(key);
    if (row === undefined) return undefined;
    const response = row.response as Partial<StoredResponse> | null;
    if (response === null || typeof response !== "object" || !("body" in response)) return undefined;
    return {
      body: response.body,
      model: typeof response.model === "string" ? response.model : row.judge,
      usage: { promptTokens: row.promptTokens, completionTokens: row.completionTokens },
      createdAtMs: row.createdAt.getTime(),
    };
  }

  async put(key: string, entry: CachedResponse): Promise<void> {
    const { promptTokens, completionTokens } = entry.usage;
    const costUsd =
      this.pricing === undefined ? 0 : (promptTokens * this.pricing.inputPerMillion + completionTokens * this.pricing.outputPerMillion) / 1_000_000;
    const response: StoredResponse = { body: entry.body, model: entry.model };
    await this.store.cachePut({ key, judge: this.judgeId, response, promptTokens, completionTokens, costUsd });
  }
}
