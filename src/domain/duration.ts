const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const twoDigits = (n: number) => String(n).padStart(2, '0');

/**
 * A span of time as a person reads it, the one format of every table, timer and message:
 * "850 ms", "1.42 s", "2m 05s", "11h 20m", "3 days"; "–" when there is none. Each unit rounds
 * before the next is chosen, so 59.996 s is "1m 00s", never "60.00 s".
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < SECOND - 0.5) return `${Math.round(ms)} ms`;
  if (ms < MINUTE - 5) return `${(ms / SECOND).toFixed(2)} s`;
  const seconds = Math.round(ms / SECOND);
  if (seconds < 60 * 60) return `${Math.floor(seconds / 60)}m ${twoDigits(seconds % 60)}s`;
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h ${twoDigits(minutes % 60)}m`;
  return `${Math.floor(ms / DAY)} days`;
}

/** A difference: "+310 ms", "−1.20 s". */
export function formatDurationDelta(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${formatDuration(Math.abs(ms))}`;
}
