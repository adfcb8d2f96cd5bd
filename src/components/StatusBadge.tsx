import { Text } from 'ink';
import type { LiveStatus } from '../engine/events.js';

const COLOURS: Record<LiveStatus, string> = {
  queued: 'gray',
  preparing: 'yellow',
  starting: 'yellow',
  running: 'cyan',
  cleaning: 'gray',
  passed: 'green',
  failed: 'red',
  error: 'red',
  timeout: 'magenta',
  cancelled: 'gray',
};

const SYMBOLS: Partial<Record<LiveStatus, string>> = { passed: '✓', failed: '✗', error: '✗', timeout: '⏱', cancelled: '■' };

/** A run's status as a coloured word, e.g. "● running", "✓ passed". */
export function StatusBadge({ status }: { status: LiveStatus }) {
  return (
    <Text color={COLOURS[status]} bold={status === 'running'}>
      {SYMBOLS[status] ?? '●'} {status}
    </Text>
  );
}
