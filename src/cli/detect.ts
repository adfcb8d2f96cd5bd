import { MODES } from '../domain/modes.js';
import { createRuntimes, detectAll } from '../runtimes/registry.js';
import type { Detection } from '../runtimes/types.js';
import { paint } from './output.js';

export function describeDetection(detection: Detection): string {
  const label = MODES[detection.mode].label.padEnd(8);
  if (detection.available) {
    const what = [detection.runtime, detection.version].filter(Boolean).join(' ');
    const details = detection.details.length > 0 ? ` · ${detection.details.join(' · ')}` : '';
    return `${paint('green', '✓')} ${label} ${what}${paint('dim', details)}`;
  }
  return `${paint('red', '✗')} ${label} ${detection.reason ?? 'unavailable'}${detection.fix ? ` — ${detection.fix}` : ''}`;
}

export async function detectCommand(json: boolean): Promise<number> {
  const detections = await detectAll(createRuntimes());
  // What a user reads: the adapters' facts for prepare() stay inside.
  if (json) process.stdout.write(`${JSON.stringify(detections.map(({ facts: _facts, ...shown }) => shown), null, 2)}\n`);
  else for (const detection of detections) process.stdout.write(`${describeDetection(detection)}\n`);
  return 0;
}
