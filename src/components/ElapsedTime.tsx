import { Text } from 'ink';

export interface ElapsedTimeProps {
  /** Clock time the run started; null: not started yet. */
  startedAt: number | null;
  /** Clock time it ended; null while it runs. */
  endedAt: number | null;
  /** The clock's current time. */
  now: number;
}

/** "12.3 s", "2m 05s": derived from timestamps, so it never drifts. */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

export function ElapsedTime({ startedAt, endedAt, now }: ElapsedTimeProps) {
  if (startedAt === null) return <Text dimColor>–</Text>;
  const ms = Math.max(0, (endedAt ?? now) - startedAt);
  return <Text bold={endedAt === null}>{formatElapsed(ms)}</Text>;
}
