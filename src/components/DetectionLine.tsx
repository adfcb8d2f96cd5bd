import { Text } from 'ink';
import Spinner from 'ink-spinner';
import { describeDetection, type Detection } from '../domain/detection.js';

export interface DetectionLineProps {
  label: string;
  /** undefined while the mode is being probed. */
  detection: Detection | undefined;
  labelWidth: number;
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
      <Text dimColor={detection.available}>{describeDetection(detection)}</Text>
    </Text>
  );
}
