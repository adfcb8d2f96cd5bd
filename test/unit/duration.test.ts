import { describe, expect, it } from 'vitest';
import { formatDuration, formatDurationDelta } from '../../src/domain/duration.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatDuration', () => {
  it('uses the unit a person reads at each size', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(850.4)).toBe('850 ms');
    expect(formatDuration(1420)).toBe('1.42 s');
    expect(formatDuration(45_000)).toBe('45.00 s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(11 * HOUR + 20 * MINUTE)).toBe('11h 20m');
    expect(formatDuration(3 * HOUR)).toBe('3h 00m');
    expect(formatDuration(2 * DAY + HOUR)).toBe('2 days');
    expect(formatDuration(365 * DAY)).toBe('365 days');
  });

  it('rounds before it picks the unit, so no unit reads 60', () => {
    expect(formatDuration(999.6)).toBe('1.00 s');
    expect(formatDuration(59_996)).toBe('1m 00s');
    expect(formatDuration(119_700)).toBe('2m 00s');
    expect(formatDuration(HOUR - 400)).toBe('1h 00m');
  });

  it('shows a missing value as a dash and a difference with its sign', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDurationDelta(310)).toBe('+310 ms');
    expect(formatDurationDelta(-1200)).toBe('−1.20 s');
  });
});
