import { Text } from 'ink';
import Spinner from 'ink-spinner';
import type { Detection } from '../runtimes/types.js';

export interface DetectionLineProps {
  label: string;
  /** undefined while the mode is being probed. */
  detection: Detection | undefined;
  labelWidth: number;
}

/** What a detection found, in words: "Docker Engine 20.10 · rootless" or "reason — fix". */
export function describeFinding(detection: Detection): string {
  if (detection.available) {
    const what = [detection.runtime, detection.version].filter(Boolean).join(' ');
    return [what, ...detection.details].filter(Boolean).join(' · ');
  }
  return `${detection.reason ?? 'unavailable'}${detection.fix ? ` — ${detection.fix}` : ''}`;
}

export function DetectionLine({ label, detection, labelWidth }: DetectionLineProps) {
  const name = label.padEnd(labelWidth);
  if (!detection) {
    return (
      <Text wrap="truncate-end">
        <Text color="cyan">
          <Spinner type="dots" />
        </Text>{' '}
        {name} <Text dimColor>checking…</Text>
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end">
      {detection.available ? <Text color="green">✓</Text> : <Text color="red">✗</Text>} {name}{' '}
      <Text dimColor={detection.available}>{describeFinding(detection)}</Text>
    </Text>
  );
}
