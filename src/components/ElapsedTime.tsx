import { Text } from 'ink';
import { formatDuration } from '../domain/duration.js';

export interface ElapsedTimeProps {
  /** Clock time the run started; null: not started yet. */
  startedAt: number | null;
  /** Clock time it ended; null while it runs. */
  endedAt: number | null;
  /** The clock's current time. */
  now: number;
}

/** A run's time so far, or its whole time once it ended: derived from timestamps, so it never drifts. */
export function ElapsedTime({ startedAt, endedAt, now }: ElapsedTimeProps) {
  if (startedAt === null) return <Text dimColor>–</Text>;
  const ms = Math.max(0, (endedAt ?? now) - startedAt);
  // A running timer is redrawn every 100 ms: it moves in tenths, and the end shows the exact time.
  return <Text bold={endedAt === null}>{formatDuration(endedAt === null ? Math.floor(ms / 100) * 100 : ms)}</Text>;
}
