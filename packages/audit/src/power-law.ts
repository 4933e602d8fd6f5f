/**
 * Maximum-likelihood fit of a Zipf (discrete power-law by rank) exponent s, where an item of rank r
 * among n items is drawn with probability r^-s / H(n, s) and H(n, s) = sum over k = 1..n of k^-s.
 * Each group is one ranked list of counts in descending order (for query frequency, a single group
 * of all queries; for clicks within queries, one group per query). The log-likelihood is concave in
 * s, so its derivative is decreasing and bisection on the derivative finds the maximum.
 */
export function fitZipfExponent(groups: readonly (readonly number[])[], bounds: { min: number; max: number } = { min: 0, max: 8 }): number {
  let low = bounds.min;
  let high = bounds.max;
  for (let iteration = 0; iteration < 100; iteration++) {
    const middle = (low + high) / 2;
    if (zipfLogLikelihoodSlope(groups, middle) > 0) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Derivative of the Zipf log-likelihood in s: C * E_s[ln r] - sum of c_r ln r, summed over groups. */
function zipfLogLikelihoodSlope(groups: readonly (readonly number[])[], s: number): number {
  let slope = 0;
  for (const counts of groups) {
    let total = 0;
    let observedLogRank = 0;
    let partition = 0;
    let weightedLogRank = 0;
    for (let i = 0; i < counts.length; i++) {
      const rank = i + 1;
      const logRank = Math.log(rank);
      const count = counts[i]!;
      total += count;
      observedLogRank += count * logRank;
      const weight = rank ** -s;
      partition += weight;
      weightedLogRank += weight * logRank;
    }
    slope += (total * weightedLogRank) / partition - observedLogRank;
  }
  return slope;
}

/** Probabilities of ranks 1..n under Zipf exponent s. */
export function zipfProbabilities(n: number, s: number): Float64Array {
  const probabilities = new Float64Array(n); // [n]
  let total = 0;
  for (let i = 0; i < n; i++) {
    probabilities[i] = (i + 1) ** -s;
    total += probabilities[i]!;
  }
  for (let i = 0; i < n; i++) probabilities[i]! /= total;
  return probabilities;
}
