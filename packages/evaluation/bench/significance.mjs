// Measures compareSystems on synthetic per-query values: 5 systems x 1,200 queries, 10,000 samples.
// Build first: pnpm --filter @mine-refine/evaluation build. Usage: node bench/significance.mjs
import { Rng } from "@mine-refine/core";
import { compareSystems } from "../dist/index.js";

const queryCount = 1200;
const rng = new Rng(11);
const systems = new Map();
for (let system = 0; system < 5; system++) {
  const values = new Map();
  for (let query = 0; query < queryCount; query++) values.set(`q${query}`, Math.min(1, Math.max(0, 0.4 + 0.02 * system + 0.2 * rng.normal())));
  systems.set(`system${system}`, values);
}

const startMs = performance.now();
const rows = compareSystems(systems, { seed: 1 });
const elapsedMs = performance.now() - startMs;
console.log(`compareSystems: ${rows.length} pairs x ${queryCount} queries x 10,000 samples: ${(elapsedMs / 1000).toFixed(2)} s, node ${process.version}`);
