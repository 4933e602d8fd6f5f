/**
 * Times each batch loss (forward and backward, float32) and the batch sampler at training sizes.
 * Run with `pnpm --filter @mine-refine/losses bench`. Prints one line per case, and the numbers depend
 * on the machine and on what else it runs.
 */
import { GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT, type Grade, Rng } from "@mine-refine/core";
import {
  type BatchLoss,
  type BatchLossInput,
  createBatchSampler,
  createInfoNceLoss,
  createMultiClassCircleLoss,
  createSupConLoss,
  type SamplerJudgment,
  UNJUDGED,
} from "../src/index.js";
import { randomUnitRows } from "../src/test/random-batch.js";

function makeBatch(rng: Rng, numQueries: number, numProducts: number, dim: number): BatchLossInput {
  const grades = new Int8Array(numQueries * numProducts).fill(UNJUDGED); // [Q, P]
  const productsPerQuery = Math.floor(numProducts / numQueries);
  for (let i = 0; i < numQueries; i++) {
    for (let k = 0; k < productsPerQuery; k++) grades[i * numProducts + i * productsPerQuery + k] = rng.int(3);
  }
  return {
    queries: new Float32Array(randomUnitRows(rng, numQueries, dim)),
    products: new Float32Array(randomUnitRows(rng, numProducts, dim)),
    numQueries,
    numProducts,
    dim,
    grades,
  };
}

function timeMs(run: () => void, repeats: number): number {
  run(); // warm-up
  const start = performance.now();
  for (let r = 0; r < repeats; r++) run();
  return (performance.now() - start) / repeats;
}

const rng = new Rng(1);
const losses: [string, BatchLoss][] = [
  ["SupCon", createSupConLoss()],
  ["circle", createMultiClassCircleLoss()],
  ["InfoNCE", createInfoNceLoss()],
];
for (const [numQueries, numProducts, dim, repeats] of [
  [64, 512, 128, 10],
  [256, 2048, 512, 2],
] as const) {
  const batch = makeBatch(rng, numQueries, numProducts, dim);
  // Forward Q·P·D plus backward 2·Q·P·D multiply-adds, two flops each.
  const gigaFlops = (6 * numQueries * numProducts * dim) / 1e9;
  for (const [name, loss] of losses) {
    const ms = timeMs(() => loss(batch), repeats);
    console.log(
      `${name.padEnd(8)} Q=${numQueries} P=${numProducts} D=${dim}: ${ms.toFixed(1)} ms per call, ${(gigaFlops / (ms / 1000)).toFixed(2)} GFLOP/s`,
    );
  }
}

// A catalog the size of the Home Depot data: about 71,000 judgments over 11,800 queries, six per query.
const judgments: SamplerJudgment[] = [];
const grades: Grade[] = [GRADE_IRRELEVANT, GRADE_MODERATE, GRADE_RELEVANT];
for (let q = 0; q < 11_800; q++) {
  for (let k = 0; k < 6; k++) judgments.push({ queryId: `q${q}`, productId: `p${(q * 7 + k * 9_173) % 55_000}`, grade: rng.pick(grades) });
}
let sampler = createBatchSampler({ judgments, queriesPerBatch: 256, productsPerQuery: 8, seed: 1 });
const buildMs = timeMs(() => {
  sampler = createBatchSampler({ judgments, queriesPerBatch: 256, productsPerQuery: 8, seed: 1 });
}, 3);
const epochMs = timeMs(() => {
  for (const _batch of createBatchSampler({ judgments, queriesPerBatch: 256, productsPerQuery: 8, seed: 1 })) {
    // consume
  }
}, 3);
console.log(
  `sampler ${judgments.length} judgments: ${buildMs.toFixed(1)} ms to build, ${(epochMs / sampler.batchesPerEpoch).toFixed(2)} ms per batch of 256 queries`,
);
