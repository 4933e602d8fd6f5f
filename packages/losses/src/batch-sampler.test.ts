import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, Rng } from "@mine-refine/core";
import { describe, expect, it } from "vitest";
import { type SamplerJudgment, createBatchSampler } from "./batch-sampler.js";
import { type TrainingBatch, UNJUDGED } from "./types.js";

/**
 * 23 queries over a catalog of 40 products, 3 to 12 judgments each, drawn with a fixed seed so
 * that many products are judged for several queries.
 */
function overlappingJudgments(): SamplerJudgment[] {
  const rng = new Rng(99);
  const grades: Grade[] = [GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT];
  const judgments: SamplerJudgment[] = [];
  for (let q = 0; q < 23; q++) {
    const products = rng.shuffle(Array.from({ length: 40 }, (_, p) => `p${p}`)).slice(0, 3 + rng.int(10));
    for (const productId of products) judgments.push({ queryId: `q${q}`, productId, grade: rng.pick(grades) });
  }
  return judgments;
}

function take(sampler: Iterator<TrainingBatch>, count: number): TrainingBatch[] {
  const batches: TrainingBatch[] = [];
  for (let k = 0; k < count; k++) {
    const next = sampler.next();
    if (next.done) break;
    batches.push(next.value);
  }
  return batches;
}

const judgments = overlappingJudgments();
const baseOptions = { judgments, queriesPerBatch: 5, productsPerQuery: 4, seed: 7 };

describe("createBatchSampler", () => {
  it("reports batches per epoch", () => {
    const sampler = createBatchSampler(baseOptions);
    expect(sampler.queryCount).toBe(23);
    expect(sampler.batchesPerEpoch).toBe(5);
  });

  it("stops after the requested epochs", () => {
    const batches = [...createBatchSampler({ ...baseOptions, epochs: 2 })];
    expect(batches.length).toBe(10);
  });

  it("uses every query once per epoch", () => {
    const sampler = createBatchSampler({ ...baseOptions, epochs: 3 });
    for (let epoch = 0; epoch < 3; epoch++) {
      const queries = take(sampler, sampler.batchesPerEpoch).flatMap((batch) => batch.queryIds);
      expect(queries.length).toBe(23);
      expect(new Set(queries).size).toBe(23);
    }
    expect(sampler.next().done).toBe(true);
  });

  it("keeps products unique within a batch", () => {
    for (const batch of createBatchSampler({ ...baseOptions, epochs: 4 })) {
      expect(new Set(batch.productIds).size).toBe(batch.productIds.length);
    }
  });

  it("fills grades from every judgment", () => {
    const known = new Map(judgments.map((j) => [`${j.queryId} ${j.productId}`, j.grade]));
    let crossQueryCells = 0;
    for (const batch of createBatchSampler({ ...baseOptions, epochs: 2 })) {
      const numProducts = batch.productIds.length;
      expect(batch.grades.length).toBe(batch.queryIds.length * numProducts);
      batch.queryIds.forEach((queryId, i) => {
        batch.productIds.forEach((productId, j) => {
          const expected = known.get(`${queryId} ${productId}`) ?? UNJUDGED;
          expect(batch.grades[i * numProducts + j]).toBe(expected);
        });
      });
      // Judged cells beyond the query's own draw show that products sampled for other queries
      // got their grades too.
      for (let i = 0; i < batch.queryIds.length; i++) {
        let judged = 0;
        for (let j = 0; j < numProducts; j++) if (batch.grades[i * numProducts + j] !== UNJUDGED) judged++;
        if (judged > baseOptions.productsPerQuery) crossQueryCells++;
      }
    }
    expect(crossQueryCells).toBeGreaterThan(0);
  });

  it("bounds products per batch", () => {
    for (const batch of createBatchSampler({ ...baseOptions, epochs: 2 })) {
      expect(batch.productIds.length).toBeLessThanOrEqual(batch.queryIds.length * baseOptions.productsPerQuery);
    }
  });

  it("draws a mix of grades", () => {
    const mixed: SamplerJudgment[] = [];
    for (let p = 0; p < 15; p++) mixed.push({ queryId: "q", productId: `p${p}`, grade: (p % 3) as Grade });
    const [batch] = [...createBatchSampler({ judgments: mixed, queriesPerBatch: 1, productsPerQuery: 3, seed: 1 })];
    expect(batch?.productIds.length).toBe(3);
    expect([...(batch?.grades ?? [])].sort()).toEqual([GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT]);
  });

  it("takes all products of a small query", () => {
    const few: SamplerJudgment[] = [
      { queryId: "q", productId: "a", grade: GRADE_RELEVANT },
      { queryId: "q", productId: "b", grade: GRADE_RELEVANT },
    ];
    const [batch] = [...createBatchSampler({ judgments: few, queriesPerBatch: 4, productsPerQuery: 8, seed: 1 })];
    expect(batch?.productIds.slice().sort()).toEqual(["a", "b"]);
  });

  it("repeats batches for a seed", () => {
    const first = [...createBatchSampler({ ...baseOptions, epochs: 2 })];
    const second = [...createBatchSampler({ ...baseOptions, epochs: 2 })];
    expect(second).toEqual(first);
  });

  it("ignores the judgment order", () => {
    const forward = [...createBatchSampler(baseOptions)];
    const reversed = [...createBatchSampler({ ...baseOptions, judgments: [...judgments].reverse() })];
    expect(reversed).toEqual(forward);
  });

  it("differs between seeds", () => {
    const first = [...createBatchSampler(baseOptions)].map((batch) => batch.queryIds);
    const second = [...createBatchSampler({ ...baseOptions, seed: 8 })].map((batch) => batch.queryIds);
    expect(second).not.toEqual(first);
  });

  it("differs between epochs", () => {
    const sampler = createBatchSampler({ ...baseOptions, epochs: 2 });
    const first = take(sampler, sampler.batchesPerEpoch).map((batch) => batch.queryIds);
    const second = take(sampler, sampler.batchesPerEpoch).map((batch) => batch.queryIds);
    expect(second).not.toEqual(first);
  });

  it("runs on with infinite epochs", () => {
    const sampler = createBatchSampler({ ...baseOptions, epochs: Number.POSITIVE_INFINITY });
    expect(take(sampler, 7 * sampler.batchesPerEpoch).length).toBe(35);
  });

  it("rejects conflicting grades", () => {
    const conflicting: SamplerJudgment[] = [
      { queryId: "q", productId: "a", grade: GRADE_RELEVANT },
      { queryId: "q", productId: "a", grade: GRADE_IRRELEVANT },
    ];
    expect(() => createBatchSampler({ ...baseOptions, judgments: conflicting })).toThrow(
      /query "q" and product "a" are judged both 2 and 0 \(judgment 1\)/,
    );
  });

  it("accepts a repeated identical judgment", () => {
    const repeated: SamplerJudgment[] = [
      { queryId: "q", productId: "a", grade: GRADE_RELEVANT },
      { queryId: "q", productId: "a", grade: GRADE_RELEVANT },
    ];
    const [batch] = [...createBatchSampler({ ...baseOptions, judgments: repeated })];
    expect(batch?.productIds).toEqual(["a"]);
  });

  it("rejects an empty judgment list", () => {
    expect(() => createBatchSampler({ ...baseOptions, judgments: [] })).toThrow(/judgment list is empty/);
  });

  it("rejects an unknown grade", () => {
    const bad = [{ queryId: "q", productId: "a", grade: 3 as Grade }];
    expect(() => createBatchSampler({ ...baseOptions, judgments: bad })).toThrow(/has grade 3, expected 0, 1 or 2/);
  });

  it("rejects invalid options", () => {
    expect(() => createBatchSampler({ ...baseOptions, queriesPerBatch: 0, epochs: 1.5 })).toThrow(
      /queriesPerBatch: expected an integer ≥ 1, received 0\n.*epochs: expected an integer ≥ 1, received 1.5/,
    );
  });
});

describe("createBatchSampler groupOf", () => {
  const judgments = Array.from({ length: 12 }, (_, i) => ({
    queryId: `${i % 2 === 0 ? "drill" : "paint"}-${i}`,
    productId: `p${i}`,
    grade: 2 as const,
  }));

  it("batches queries of one group together", () => {
    const sampler = createBatchSampler({ judgments, queriesPerBatch: 6, productsPerQuery: 1, seed: 3, groupOf: (id) => id.split("-")[0]! });
    for (const batch of sampler) {
      const groups = new Set(batch.queryIds.map((id) => id.split("-")[0]));
      expect(groups.size).toBe(1);
    }
  });

  it("still uses every query once per epoch", () => {
    const sampler = createBatchSampler({ judgments, queriesPerBatch: 5, productsPerQuery: 1, seed: 3, groupOf: (id) => id.split("-")[0]! });
    const seen = [...sampler].flatMap((batch) => batch.queryIds).sort();
    expect(seen).toEqual(judgments.map((j) => j.queryId).sort());
  });

  it("rejects groupOf with the synthetic cap", () => {
    expect(() =>
      createBatchSampler({ judgments, queriesPerBatch: 5, productsPerQuery: 1, seed: 3, groupOf: () => "a", isSynthetic: () => false, maxSyntheticShare: 0.5 }),
    ).toThrow(/groupOf cannot be combined/);
  });
});
