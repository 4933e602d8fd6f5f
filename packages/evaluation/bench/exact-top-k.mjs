// Measures exactTopK on random unit vectors. Build first: pnpm --filter @mine-refine/evaluation build
// Usage: node bench/exact-top-k.mjs [queries] [products] [dim] [k]
import { Rng } from "@mine-refine/core";
import { exactTopK } from "../dist/index.js";

const [queryCount, productCount, dim, k] = [1200, 54667, 256, 100].map((fallback, i) => Number(process.argv[2 + i] ?? fallback));

function randomUnitRows(rng, rows) {
  const data = new Float32Array(rows * dim); // [rows, dim]
  for (let row = 0; row < rows; row++) {
    let squares = 0;
    for (let d = 0; d < dim; d++) {
      const value = rng.normal();
      data[row * dim + d] = value;
      squares += value * value;
    }
    const scale = 1 / Math.sqrt(squares);
    for (let d = 0; d < dim; d++) data[row * dim + d] *= scale;
  }
  return data;
}

const rng = new Rng(1);
const queries = randomUnitRows(rng, queryCount);
const products = randomUnitRows(rng, productCount);

const startMs = performance.now();
exactTopK(queries, products, dim, k);
const elapsedMs = performance.now() - startMs;
const gflops = (2 * queryCount * productCount * dim) / (elapsedMs * 1e6);
console.log(
  `exactTopK ${queryCount} queries x ${productCount} products x ${dim} dims, k ${k}: ` +
    `${(elapsedMs / 1000).toFixed(2)} s, ${gflops.toFixed(2)} GFLOP/s, node ${process.version}`,
);
