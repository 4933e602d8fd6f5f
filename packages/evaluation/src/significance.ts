import { murmur3, Rng } from "@mine-refine/core";
import { quantileOfSorted } from "./quantile.js";
import { requirePositiveInteger } from "./validate.js";

export interface BootstrapOptions {
  /** Resamples drawn. Default 10,000; the interval ends move by about 1/sqrt(samples) of their spread. */
  samples?: number;
  seed: number;
  /** Coverage of the interval. Default 0.95. */
  confidence?: number;
}

export interface BootstrapResult {
  /** mean(a − b) over the paired values. */
  meanDifference: number;
  /** Percentile confidence interval of the mean difference. */
  lower: number;
  upper: number;
  confidence: number;
  samples: number;
  /** Number of pairs. */
  n: number;
}

/**
 * Computes a paired bootstrap percentile confidence interval of mean(a − b). Each resample draws n
 * pairs with replacement and records its mean difference. The interval ends are the
 * (1 − confidence) / 2 and (1 + confidence) / 2 quantiles of those means. Deterministic for a seed.
 */
export function pairedBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: BootstrapOptions,
): BootstrapResult {
  const differences = pairedDifferences(a, b, "pairedBootstrap");
  const samples = options.samples ?? 10_000;
  requirePositiveInteger("pairedBootstrap option samples", samples);
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`pairedBootstrap option confidence must be between 0 and 1, received ${confidence}`);
  }

  const n = differences.length;
  const rng = new Rng(options.seed);
  const means = new Float64Array(samples); // [samples]
  for (let sample = 0; sample < samples; sample++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[rng.int(n)]!;
    means[sample] = sum / n;
  }
  means.sort();

  const tail = (1 - confidence) / 2;
  return {
    meanDifference: mean(differences),
    lower: quantileOfSorted(means, tail),
    upper: quantileOfSorted(means, 1 - tail),
    confidence,
    samples,
    n,
  };
}

export interface RandomizationOptions {
  /** Random sign assignments drawn. Default 10,000, so the smallest possible p-value is about 1e-4. */
  samples?: number;
  seed: number;
}

export interface RandomizationResult {
  meanDifference: number;
  /** Two-sided p-value of "a and b are exchangeable", (hits + 1) / (samples + 1). */
  pValue: number;
  samples: number;
  n: number;
}

/**
 * Runs a paired randomization (sign-flip) test of mean(a − b) = 0. Under the null hypothesis the label
 * of each pair could be swapped, so each difference keeps or flips its sign with probability 1/2.
 * The p-value counts random sign assignments whose |mean| reaches the observed |mean|, plus one for
 * the observed assignment itself, so it is never 0. Identical systems get p = 1. Deterministic for
 * a seed.
 */
export function pairedRandomizationTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: RandomizationOptions,
): RandomizationResult {
  const differences = pairedDifferences(a, b, "pairedRandomizationTest");
  const samples = options.samples ?? 10_000;
  requirePositiveInteger("pairedRandomizationTest option samples", samples);

  const n = differences.length;
  let observed = 0;
  let absoluteSum = 0;
  for (const difference of differences) {
    observed += difference;
    absoluteSum += Math.abs(difference);
  }
  // Sums of the same magnitudes in another order can differ in the last bits, so "reaches" allows a
  // relative slack far below any real difference.
  const reach = Math.abs(observed) - 1e-9 * absoluteSum;

  const rng = new Rng(options.seed);
  let hits = 0;
  for (let sample = 0; sample < samples; sample++) {
    let sum = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 31) === 0) bits = rng.nextUint32();
      sum += bits & 1 ? differences[i]! : -differences[i]!;
      bits >>>= 1;
    }
    if (Math.abs(sum) >= reach) hits += 1;
  }

  return { meanDifference: observed / n, pValue: (hits + 1) / (samples + 1), samples, n };
}

export interface SystemComparisonOptions {
  /** Samples for both the bootstrap and the randomization test. Default 10,000. */
  samples?: number;
  seed: number;
  /** Default 0.95. */
  confidence?: number;
}

/** One row of a pairwise comparison: system A minus system B on the queries both have a value for. */
export interface SystemComparison {
  systemA: string;
  systemB: string;
  /** Queries where both systems have a non-null value. */
  queries: number;
  meanA: number;
  meanB: number;
  meanDifference: number;
  ciLower: number;
  ciUpper: number;
  pValue: number;
  /** p-value after the Holm–Bonferroni correction over all rows of the table. */
  pValueHolm: number;
}

/**
 * Compares every pair of systems on one metric, given each system's per-query values (for example
 * one `perQuery` entry of `evaluateRun`). Each pair is evaluated on the queries where both values
 * are non-null. Pairs appear in the order of `systems`, A before B. The seed of each pair is derived
 * from `seed` and the two names, so adding a system does not change the other rows.
 * Pairs that share no query are left out of the table.
 */
export function compareSystems(
  systems: ReadonlyMap<string, ReadonlyMap<string, number | null>>,
  options: SystemComparisonOptions,
): SystemComparison[] {
  const names = [...systems.keys()];
  const rows: Omit<SystemComparison, "pValueHolm">[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const nameA = names[i]!;
      const nameB = names[j]!;
      const { a, b } = alignValues(systems.get(nameA)!, systems.get(nameB)!);
      if (a.length === 0) continue;
      const pairSeed = murmur3(`${nameA}\u0000${nameB}`, options.seed >>> 0);
      const bootstrap = pairedBootstrap(a, b, {
        seed: pairSeed,
        ...(options.samples !== undefined && { samples: options.samples }),
        ...(options.confidence !== undefined && { confidence: options.confidence }),
      });
      const randomization = pairedRandomizationTest(a, b, {
        seed: pairSeed ^ 0x5bd1e995,
        ...(options.samples !== undefined && { samples: options.samples }),
      });
      rows.push({
        systemA: nameA,
        systemB: nameB,
        queries: a.length,
        meanA: mean(a),
        meanB: mean(b),
        meanDifference: bootstrap.meanDifference,
        ciLower: bootstrap.lower,
        ciUpper: bootstrap.upper,
        pValue: randomization.pValue,
      });
    }
  }

  const adjusted = holmAdjust(rows.map((row) => row.pValue));
  return rows.map((row, index) => ({ ...row, pValueHolm: adjusted[index]! }));
}

/**
 * Returns Holm–Bonferroni adjusted p-values in the input order: the i-th smallest p-value (from 0)
 * is multiplied by (m − i), kept at least as large as the previous adjusted value, and capped at 1.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, index) => index).sort((x, y) => pValues[x]! - pValues[y]!);
  const adjusted = new Array<number>(m);
  let running = 0;
  for (let rank = 0; rank < m; rank++) {
    const index = order[rank]!;
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  }
  return adjusted;
}

function alignValues(
  valuesA: ReadonlyMap<string, number | null>,
  valuesB: ReadonlyMap<string, number | null>,
): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  for (const [queryId, valueA] of valuesA) {
    const valueB = valuesB.get(queryId);
    if (valueA === null || valueB === null || valueB === undefined) continue;
    a.push(valueA);
    b.push(valueB);
  }
  return { a, b };
}

function pairedDifferences(a: ArrayLike<number>, b: ArrayLike<number>, inputName: string): Float64Array {
  if (a.length !== b.length) {
    throw new RangeError(`${inputName}: a has ${a.length} values but b has ${b.length}; pass one value per query to each`);
  }
  if (a.length === 0) throw new RangeError(`${inputName} needs at least one pair of values`);
  const differences = new Float64Array(a.length); // [n]
  for (let i = 0; i < a.length; i++) {
    differences[i] = a[i]! - b[i]!;
    if (Number.isNaN(differences[i]!)) throw new RangeError(`${inputName}: value ${i} is NaN; drop undefined queries first`);
  }
  return differences;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}
