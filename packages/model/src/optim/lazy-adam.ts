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
import type { AdamSettings } from "./adamw.js";

export class LazyAdam {
  readonly table: Float32Array; // [buckets, dim]
  readonly dim: number;
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
    this.firstMoments = new Float32Array(table.length);
    this.secondMoments = new Float32Array(table.length);
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
}
