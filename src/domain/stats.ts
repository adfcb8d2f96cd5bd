/** Summary statistics, relative speed and outliers, computed the way hyperfine does. Pure. */

export interface SampleStats {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). Null for a single value: one run says nothing about spread. */
  stddev: number | null;
  median: number;
  min: number;
  max: number;
}

/** An empty sample: nothing was measured, so there is no number to report. */
export interface EmptyStats {
  n: 0;
  mean: null;
  stddev: null;
  median: null;
  min: null;
  max: null;
}

/** Narrow with `stats.mean !== null` to get the numbers (`n` alone cannot narrow: 0 is a number too). */
export type Stats = SampleStats | EmptyStats;

export function summarize(values: readonly number[]): Stats {
  const n = values.length;
  if (n === 0) return { n: 0, mean: null, stddev: null, median: null, min: null, max: null };
  const mean = sum(values) / n;
  const stddev = n < 2 ? null : Math.sqrt(sum(values.map((v) => (v - mean) ** 2)) / (n - 1));
  const sorted = sortedCopy(values);
  return { n, mean, stddev, median: medianOfSorted(sorted), min: sorted[0]!, max: sorted[n - 1]! };
}

export interface RelativeSpeed {
  /** `a`'s mean divided by the reference's mean. */
  ratio: number;
  /** Null when either side has no stddev (fewer than 2 runs). */
  ratioStddev: number | null;
}

interface MeanAndSpread {
  mean: number;
  stddev: number | null;
}

/**
 * `a` as a multiple of `ref`, with hyperfine's propagated uncertainty for independent samples:
 * σ_ratio = ratio · √((σa/μa)² + (σref/μref)²).
 * Null when either mean is 0: the ratio or its uncertainty would divide by zero, and hyperfine
 * skips relative speeds in that case too.
 */
export function relativeTo(a: MeanAndSpread, ref: MeanAndSpread): RelativeSpeed | null {
  if (a.mean === 0 || ref.mean === 0) return null;
  const ratio = a.mean / ref.mean;
  const ratioStddev =
    a.stddev === null || ref.stddev === null ? null : ratio * Math.hypot(a.stddev / a.mean, ref.stddev / ref.mean);
  return { ratio, ratioStddev };
}

/** Iglewicz and Hoaglin's cut-off: a modified Z-score above it marks a likely outlier. */
const OUTLIER_Z = 3.5;
/** MAD × 1.4826 estimates σ for normal data (1.4826 = 1 / 0.6745, the normal's 75th percentile). */
const MAD_TO_SIGMA = 1.4826;
/** Mean absolute deviation × √(π/2) estimates σ for normal data; used when the MAD is 0. */
const MEAN_AD_TO_SIGMA = 1.253314;

/**
 * Indices of outliers by the modified Z-score |x − median| / σ̂, where σ̂ comes from the median
 * absolute deviation (MAD), so the outliers themselves cannot inflate it the way they inflate a
 * plain stddev. When more than half the values are equal the MAD is 0; then σ̂ comes from the mean
 * absolute deviation instead (IBM SPSS's convention), which still sees the values that differ.
 * If every value is equal, nothing is an outlier.
 */
export function outliers(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const center = medianOfSorted(sortedCopy(values));
  const deviations = values.map((v) => Math.abs(v - center));
  const mad = medianOfSorted(sortedCopy(deviations));
  const sigma = mad > 0 ? mad * MAD_TO_SIGMA : (sum(deviations) / deviations.length) * MEAN_AD_TO_SIGMA;
  if (sigma === 0) return [];
  const flagged: number[] = [];
  deviations.forEach((d, index) => {
    if (d / sigma > OUTLIER_Z) flagged.push(index);
  });
  return flagged;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((x, y) => x - y);
}

/** Expects a non-empty, ascending array. */
function medianOfSorted(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
