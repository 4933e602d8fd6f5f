/**
 * Shapes used below: buckets = embedding rows, dim = embedding width, rows = rows a step touched.
 *
 * Lazy Adam for an embedding table: a step updates the moments and values of the touched rows only,
 * so its cost grows with the batch rather than with the table. Untouched rows keep stale moments
 * instead of decaying them. Bias correction uses a per-row step count (how many updates that row has
 * had), not the global step, so a row seen for the first time late in training gets the full
 * first-step correction. No weight decay is applied to the table.
 */
import type { SparseRowGradient } from "../layers/sparse-gradient.js";
import type { EmbeddingWorkerPool } from "../parallel/embedding-workers.js";
import { isShared, sharedFloat32Array } from "../parallel/shared-memory.js";
import type { AdamSettings } from "./adamw.js";

export class LazyAdam {
  readonly table: Float32Array; // [buckets, dim]
  readonly dim: number;
  /** When set, the update splits the columns over these threads, with identical results. */
  workers: EmbeddingWorkerPool | undefined;
  private readonly firstMoments: Float32Array; // [buckets, dim]
  private readonly secondMoments: Float32Array; // [buckets, dim]
  private readonly rowSteps: Int32Array; // [buckets] updates each row has received
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(table: Float32Array, dim: number, settings: AdamSettings = {}) {
    if (table.length % dim !== 0) throw new RangeError(`LazyAdam: table length ${table.length} is not a multiple of dim ${dim}`);
    this.table = table;
    this.dim = dim;
    // Shared memory when the table is shared, so that worker threads can update the moments too.
    this.firstMoments = isShared(table) ? sharedFloat32Array(table.length) : new Float32Array(table.length);
    this.secondMoments = isShared(table) ? sharedFloat32Array(table.length) : new Float32Array(table.length);
    this.rowSteps = new Int32Array(table.length / dim);
    this.beta1 = settings.beta1 ?? 0.9;
    this.beta2 = settings.beta2 ?? 0.999;
    this.epsilon = settings.epsilon ?? 1e-8;
  }

  /** Updates every row in `gradient.rows` with its [dim] gradient. */
  step(gradient: SparseRowGradient, learningRate: number): void {
    const { dim, beta1, beta2, epsilon, table } = this;
    const m = this.firstMoments;
    const v = this.secondMoments;
    const rows = gradient.rows;
    const values = gradient.gradient; // [rows, dim]
    if (this.workers !== undefined) {
      this.stepInWorkers(this.workers, rows, values, learningRate);
      return;
    }
    for (let local = 0; local < rows.length; local++) {
      const row = rows[local]!;
      const steps = ++this.rowSteps[row]!;
      const stepSize = learningRate / (1 - beta1 ** steps);
      const inverseSqrtCorrection2 = 1 / Math.sqrt(1 - beta2 ** steps);
      const tableOffset = row * dim;
      const gradientOffset = local * dim;
      for (let j = 0; j < dim; j++) {
        const g = values[gradientOffset + j]!;
        const at = tableOffset + j;
        const mi = beta1 * m[at]! + (1 - beta1) * g;
        const vi = beta2 * v[at]! + (1 - beta2) * g * g;
        m[at] = mi;
        v[at] = vi;
        table[at]! -= (stepSize * mi) / (Math.sqrt(vi) * inverseSqrtCorrection2 + epsilon);
      }
    }
  }

  private stepInWorkers(workers: EmbeddingWorkerPool, rows: Int32Array, values: Float32Array, learningRate: number): void {
    const { beta1, beta2, epsilon } = this;
    const stepSizes = new Float64Array(rows.length); // [rows]
    const inverseCorrections = new Float64Array(rows.length); // [rows]
    for (let local = 0; local < rows.length; local++) {
      const steps = ++this.rowSteps[rows[local]!]!;
      stepSizes[local] = learningRate / (1 - beta1 ** steps);
      inverseCorrections[local] = 1 / Math.sqrt(1 - beta2 ** steps);
    }
    const state = { table: this.table, firstMoments: this.firstMoments, secondMoments: this.secondMoments };
    workers.adam(rows, stepSizes, inverseCorrections, values, state, { beta1, beta2, epsilon }, this.dim);
  }
}
