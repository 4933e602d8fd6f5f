import { GRADE_IRRELEVANT, GRADE_RELEVANT, Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { type SamplerJudgment, createBatchSampler } from "./batch-sampler.js";
import { planCappedBatches } from "./synthetic-cap.js";

/** `real` queries r0.. and `synthetic` queries syn0.., each judged with one relevant and one irrelevant product of its own. */
function mixedJudgments(real: number, synthetic: number): SamplerJudgment[] {
  const judgments: SamplerJudgment[] = [];
  const add = (queryId: string): void => {
    judgments.push({ queryId, productId: `${queryId}-good`, grade: GRADE_RELEVANT });
    judgments.push({ queryId, productId: `${queryId}-bad`, grade: GRADE_IRRELEVANT });
  };
  for (let i = 0; i < real; i++) add(`r${i}`);
  for (let i = 0; i < synthetic; i++) add(`syn${i}`);
  return new Rng(5).shuffle(judgments);
}

const isSynthetic = (queryId: string): boolean => queryId.startsWith("syn");

describe("planCappedBatches", () => {
  it("keeps every synthetic query that fits", () => {
    // 12 real and 4 synthetic in batches of 4 at a cap of 0.25: 4 batches with one synthetic each.
    expect(planCappedBatches(12, 4, 4, 0.25)).toEqual([
      { real: 3, synthetic: 1 },
      { real: 3, synthetic: 1 },
      { real: 3, synthetic: 1 },
      { real: 3, synthetic: 1 },
    ]);
  });

  it("drops synthetic queries beyond the cap", () => {
    // 6 real queries admit at most 2 synthetic at 0.25 (2 / 8), and batches of 4 hold one each.
    expect(planCappedBatches(6, 10, 4, 0.25)).toEqual([
      { real: 3, synthetic: 1 },
      { real: 3, synthetic: 1 },
    ]);
  });

  it("respects the cap of a short last batch", () => {
    // 5 real + 2 synthetic would give batches of 4 and 3, and the batch of 3 admits none at 0.25,
    // so only one synthetic query fits.
    const plan = planCappedBatches(5, 2, 4, 0.25);
    expect(plan).toEqual([
      { real: 3, synthetic: 1 },
      { real: 2, synthetic: 0 },
    ]);
  });

  it("admits none at a cap of 0", () => {
    expect(planCappedBatches(3, 5, 2, 0)).toEqual([
      { real: 2, synthetic: 0 },
      { real: 1, synthetic: 0 },
    ]);
  });

  it("admits all at a cap of 1", () => {
    const plan = planCappedBatches(1, 5, 3, 1);
    expect(plan.reduce((sum, counts) => sum + counts.synthetic, 0)).toBe(5);
  });
});

describe("createBatchSampler synthetic cap", () => {
  const judgments = mixedJudgments(40, 30);
  const options = { judgments, queriesPerBatch: 8, productsPerQuery: 2, seed: 3, isSynthetic, maxSyntheticShare: 0.25, epochs: 3 };

  it("caps the synthetic share of each batch", () => {
    for (const batch of createBatchSampler(options)) {
      const synthetic = batch.queryIds.filter(isSynthetic).length;
      expect(synthetic).toBeLessThanOrEqual(Math.floor(0.25 * batch.queryIds.length));
    }
  });

  it("uses every real query once per epoch", () => {
    const sampler = createBatchSampler(options);
    for (let epoch = 0; epoch < 3; epoch++) {
      const real: string[] = [];
      for (let b = 0; b < sampler.batchesPerEpoch; b++) {
        const next = sampler.next();
        if (next.done) throw new Error(`sampler ended in epoch ${epoch}`);
        real.push(...next.value.queryIds.filter((id) => !isSynthetic(id)));
      }
      expect(real.length).toBe(40);
      expect(new Set(real).size).toBe(40);
    }
  });

  it("reports the synthetic queries per epoch", () => {
    // 40 real queries admit 13 synthetic at 0.25, but 7 batches (53 queries) hold only 6 × 2 + 1 = 13.
    const sampler = createBatchSampler(options);
    expect(sampler.syntheticQueriesPerEpoch).toBe(13);
    expect(sampler.batchesPerEpoch).toBe(7);
  });

  it("draws other synthetic queries each epoch", () => {
    const sampler = createBatchSampler(options);
    const epochs: Set<string>[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      const synthetic = new Set<string>();
      for (let b = 0; b < sampler.batchesPerEpoch; b++) {
        for (const id of sampler.next().value?.queryIds ?? []) if (isSynthetic(id)) synthetic.add(id);
      }
      epochs.push(synthetic);
    }
    expect([...epochs[1]!].sort()).not.toEqual([...epochs[0]!].sort());
  });

  it("repeats batches for a seed", () => {
    expect([...createBatchSampler(options)]).toEqual([...createBatchSampler(options)]);
  });

  it("rejects a share without a predicate", () => {
    expect(() => createBatchSampler({ judgments, queriesPerBatch: 8, productsPerQuery: 2, seed: 3, maxSyntheticShare: 0.5 })).toThrow(
      /isSynthetic: isSynthetic and maxSyntheticShare go together/,
    );
  });

  it("rejects a share above 1", () => {
    expect(() => createBatchSampler({ ...options, maxSyntheticShare: 1.5 })).toThrow(/maxSyntheticShare: expected a finite number ≥ 0 and ≤ 1, received 1.5/);
  });

  it("rejects only synthetic queries", () => {
    expect(() => createBatchSampler({ ...options, judgments: mixedJudgments(0, 4) })).toThrow(/all 4 queries are synthetic/);
  });
});
