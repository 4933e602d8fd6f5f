/**
 * Worker threads for the embedding bag's forward and backward passes and the lazy Adam step. Each
 * call splits the embedding columns into one contiguous range per thread, the calling thread takes
 * the first range, and it blocks until the workers have finished theirs. Because the kernels compute
 * each column independently (see `embedding-kernels.ts`), results are bitwise identical for every
 * thread count, including the single-threaded code in `EmbeddingBag` and `LazyAdam`.
 *
 * Every buffer a worker writes or reads lives in a SharedArrayBuffer: the table, the Adam moments
 * and the gradient values are allocated shared by their owners, and batch inputs are copied into
 * shared scratch buffers that grow as needed.
 */
import { Worker } from "node:worker_threads";
import { InternalError } from "@mine-refine/core";
import type { BagRowIndex } from "../layers/embedding-bag.js";
import { adamColumns, bagBackwardColumns, bagForwardColumns } from "./embedding-kernels.js";
import { isShared, type SharedArray } from "./shared-memory.js";

/** Column ranges start at multiples of 16 floats (64 bytes), so two threads never write one cache line. */
const COLUMN_ALIGNMENT = 16;

type Kernel = "forward" | "backward" | "adam";

// The worker is plain JavaScript built from the kernels' source text, so it runs the same way from
// the TypeScript sources under vitest and from the compiled `dist`.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const kernels = {
  forward: ${bagForwardColumns.toString()},
  backward: ${bagBackwardColumns.toString()},
  adam: ${adamColumns.toString()},
};
parentPort.on("message", (message) => {
  try {
    kernels[message.kernel](...message.args, message.begin, message.end);
  } catch (error) {
    Atomics.store(message.status, 1, 1);
  }
  Atomics.add(message.status, 0, 1);
  Atomics.notify(message.status, 0);
});
`;

type SharedArrayConstructor<T extends SharedArray> = { new (buffer: SharedArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number };

export class EmbeddingWorkerPool {
  /** Threads that share each call, the calling thread included. */
  readonly threads: number;
  private readonly workers: Worker[];
  private readonly status = new Int32Array(new SharedArrayBuffer(8)); // [finished workers, failure flag]
  private readonly scratch = new Map<string, SharedArray>();

  /** Starts `threads - 1` worker threads. Call `dispose` to stop them. */
  constructor(threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`EmbeddingWorkerPool: threads must be a positive integer, received ${threads}`);
    this.threads = threads;
    this.workers = [];
    for (let i = 1; i < threads; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      // A pool that is never disposed must not keep the process alive.
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Returns [batch, dim] pooled embeddings of `index` from `table` [buckets, dim]. */
  forward(index: BagRowIndex, table: Float32Array, dim: number): Float32Array {
    requireShared(table, "embedding table");
    const rowCount = index.rows.length;
    const outputLength = index.bagCount * dim;
    const output = this.buffer("output", Float32Array, outputLength); // [batch, dim]
    output.fill(0);
    const args = [
      rowCount,
      this.copy("rows", Int32Array, index.rows),
      this.copy("starts", Int32Array, index.starts),
      this.copy("bags", Int32Array, index.bags),
      this.copy("scales", Float32Array, index.scales),
      table,
      output,
      dim,
    ] as const;
    this.run("forward", args, dim, (begin, end) => bagForwardColumns(...args, begin, end));
    return output.slice();
  }

  /** Adds the table gradient of `gradOutput` [batch, dim] into `values` at each row's offset `targets[u]`. */
  backward(index: BagRowIndex, gradOutput: Float32Array, targets: Int32Array, values: Float32Array, dim: number): void {
    requireShared(values, "gradient values");
    const args = [
      index.rows.length,
      this.copy("targets", Int32Array, targets),
      this.copy("starts", Int32Array, index.starts),
      this.copy("bags", Int32Array, index.bags),
      this.copy("scales", Float32Array, index.scales),
      this.copy("gradOutput", Float32Array, gradOutput),
      values,
      dim,
    ] as const;
    this.run("backward", args, dim, (begin, end) => bagBackwardColumns(...args, begin, end));
  }

  /** Applies the lazy Adam update to `rows`, with the per-row factors that `adamColumns` describes. */
  adam(
    rows: Int32Array,
    stepSizes: Float64Array,
    inverseCorrections: Float64Array,
    gradient: Float32Array,
    state: { table: Float32Array; firstMoments: Float32Array; secondMoments: Float32Array },
    hyper: { beta1: number; beta2: number; epsilon: number },
    dim: number,
  ): void {
    requireShared(state.table, "embedding table");
    requireShared(state.firstMoments, "Adam first moments");
    requireShared(state.secondMoments, "Adam second moments");
    const args = [
      rows.length,
      this.copy("adamRows", Int32Array, rows),
      this.copy("stepSizes", Float64Array, stepSizes),
      this.copy("inverseCorrections", Float64Array, inverseCorrections),
      this.copy("adamGradient", Float32Array, gradient),
      state.table,
      state.firstMoments,
      state.secondMoments,
      hyper.beta1,
      hyper.beta2,
      hyper.epsilon,
      dim,
    ] as const;
    this.run("adam", args, dim, (begin, end) => adamColumns(...args, begin, end));
  }

  async dispose(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** Posts each worker its column range, runs the first range here, and waits for the workers. */
  private run(kernel: Kernel, args: readonly unknown[], dim: number, runHere: (begin: number, end: number) => void): void {
    const width = Math.ceil(dim / this.threads / COLUMN_ALIGNMENT) * COLUMN_ALIGNMENT;
    Atomics.store(this.status, 0, 0);
    Atomics.store(this.status, 1, 0);
    let posted = 0;
    for (let i = 1; i < this.threads; i++) {
      const begin = Math.min(dim, i * width);
      const end = Math.min(dim, (i + 1) * width);
      if (begin >= end) break;
      this.workers[i - 1]!.postMessage({ kernel, args, begin, end, status: this.status });
      posted++;
    }
    runHere(0, Math.min(dim, width));
    for (let finished = Atomics.load(this.status, 0); finished < posted; finished = Atomics.load(this.status, 0)) {
      Atomics.wait(this.status, 0, finished);
    }
    if (Atomics.load(this.status, 1) !== 0) throw new InternalError(`an embedding worker failed in its "${kernel}" kernel`);
  }

  /** Returns a shared view of `length` elements under `name`, reusing the buffer while it is large enough. */
  private buffer<T extends SharedArray>(name: string, type: SharedArrayConstructor<T>, length: number): T {
    let array = this.scratch.get(name) as T | undefined;
    if (array === undefined || array.length < length) {
      const capacity = Math.max(1024, 2 ** Math.ceil(Math.log2(Math.max(1, length))));
      array = new type(new SharedArrayBuffer(capacity * type.BYTES_PER_ELEMENT), 0, capacity);
      this.scratch.set(name, array);
    }
    return array.subarray(0, length) as T;
  }

  private copy<T extends SharedArray>(name: string, type: SharedArrayConstructor<T>, source: T): T {
    if (isShared(source)) return source;
    const target = this.buffer(name, type, source.length);
    target.set(source as never);
    return target;
  }
}

function requireShared(array: SharedArray, description: string): void {
  if (!isShared(array)) throw new InternalError(`the ${description} must live in a SharedArrayBuffer for the embedding workers`);
}
