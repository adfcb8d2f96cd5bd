import { describe, expect, it } from 'vitest';
import { outliers, relativeTo, summarize } from '../../src/domain/stats.js';

describe('summarize', () => {
  it('matches the known values of the `statistical` crate sample', () => {
    const stats = summarize([0, 0.25, 0.25, 1.25, 1.5, 1.75, 2.75, 3.25]);
    expect(stats.n).toBe(8);
    expect(stats.mean).toBe(1.375);
    // Sample variance 10 / 7 ≈ 1.428571 (n − 1); the population stddev would be ≈ 1.118034.
    expect(stats.stddev).toBeCloseTo(1.195229, 6);
    expect(stats.median).toBe(1.375);
    expect(stats.min).toBe(0);
    expect(stats.max).toBe(3.25);
  });

  it('does not depend on input order and takes the middle value of an odd sample', () => {
    expect(summarize([5, 1, 3])).toEqual({ n: 3, mean: 3, stddev: 2, median: 3, min: 1, max: 5 });
  });

  it('has no stddev for a single value', () => {
    expect(summarize([42])).toEqual({ n: 1, mean: 42, stddev: null, median: 42, min: 42, max: 42 });
  });

  it('summarises an empty sample as n 0 with every number null', () => {
    const stats = summarize([]);
    expect(stats).toEqual({ n: 0, mean: null, stddev: null, median: null, min: null, max: null });
    // The type narrows on mean, so callers cannot read a number that is not there.
    if (stats.mean !== null) {
      const median: number = stats.median;
      expect(median).toBeTypeOf('number');
    }
  });
});

describe('relativeTo', () => {
  it('propagates both uncertainties into the ratio, as hyperfine does', () => {
    // By hand: ratio = 12 / 8 = 1.5
    //   relative errors: σa/μa = 1.2 / 12 = 0.1, σref/μref = 0.4 / 8 = 0.05
    //   σ_ratio = 1.5 × √(0.1² + 0.05²) = 1.5 × √0.0125 = 1.5 × 0.1118034 = 0.1677051
    const speed = relativeTo({ mean: 12, stddev: 1.2 }, { mean: 8, stddev: 0.4 });
    expect(speed?.ratio).toBe(1.5);
    expect(speed?.ratioStddev).toBeCloseTo(0.1677051, 7);
  });

  it('gives the reference itself a ratio of 1', () => {
    const ref = { mean: 8, stddev: 0.4 };
    expect(relativeTo(ref, ref)?.ratio).toBe(1);
  });

  it('has no ratio stddev when either side has no stddev', () => {
    expect(relativeTo({ mean: 12, stddev: null }, { mean: 8, stddev: 0.4 })).toEqual({ ratio: 1.5, ratioStddev: null });
    expect(relativeTo({ mean: 12, stddev: 1.2 }, { mean: 8, stddev: null })).toEqual({ ratio: 1.5, ratioStddev: null });
  });

  it('gives nothing when a mean is 0', () => {
    expect(relativeTo({ mean: 12, stddev: 1 }, { mean: 0, stddev: 0 })).toBeNull();
    expect(relativeTo({ mean: 0, stddev: 0 }, { mean: 8, stddev: 1 })).toBeNull();
  });
});

describe('outliers', () => {
  it('flags the one slow run', () => {
    // median 11, MAD 1: 95 scores 84 / 1.4826 ≈ 56.7; 12 scores 1 / 1.4826 ≈ 0.67.
    expect(outliers([10, 11, 10, 12, 11, 95])).toEqual([5]);
  });

  it('flags nothing in empty, tiny or low-spread samples', () => {
    expect(outliers([])).toEqual([]);
    expect(outliers([50])).toEqual([]);
    expect(outliers([1000, 0])).toEqual([]);
    expect(outliers([-0.2, 0, 0.2])).toEqual([]);
    expect(outliers([7, 7, 7, 7])).toEqual([]);
  });

  it('falls back to the mean absolute deviation when the MAD is 0', () => {
    // Most values equal, so MAD = 0. Mean absolute deviation 90 / 8 = 11.25; 90 / (1.253314 × 11.25) ≈ 6.4.
    expect(outliers([10, 10, 10, 10, 10, 10, 10, 100])).toEqual([7]);
    expect(outliers([10, 10, 10, 10, 10, 10, 10, 100, 100])).toEqual([7, 8]);
    // A one-unit step among equal values is not an outlier: 1 / (1.253314 × 0.25) ≈ 3.2.
    expect(outliers([10, 10, 10, 11])).toEqual([]);
  });

  it("agrees with hyperfine's test vectors", () => {
    const normal = [
      2.33269488, 1.42195907, -0.57527698, -0.31293437, 2.2948158, 0.75813273, -1.0712388, -0.96394741, -1.15897446,
      1.10976285,
    ];
    expect(outliers(normal)).toEqual([]);
    expect(outliers([...normal, 20, -500])).toEqual([10, 11]);
    expect(outliers([-0.2, 0, 0.2, 4])).toEqual([3]);
    expect(outliers([0.5, 0.3, 0.29, 0.31, 0.3])).toEqual([0]);
  });
});
