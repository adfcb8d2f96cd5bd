import { describeDetection, type Detection } from '../domain/detection.js';
import { MODES } from '../domain/modes.js';
import { createRuntimes, detectAll } from '../runtimes/registry.js';
import { paint } from './output.js';

/** "✓ Docker   Docker Engine 28.1.1 (rootless)" or "✗ Sandbox  reason — fix", as the detect screen shows it. */
export function detectionLine(detection: Detection): string {
  const label = MODES[detection.mode].label.padEnd(8);
  const text = describeDetection(detection);
  return detection.available ? `${paint('green', '✓')} ${label} ${paint('dim', text)}` : `${paint('red', '✗')} ${label} ${text}`;
}

export async function detectCommand(json: boolean): Promise<number> {
  const detections = await detectAll(createRuntimes());
  // What a user reads: the adapters' facts for prepare() stay inside.
  if (json) process.stdout.write(`${JSON.stringify(detections.map(({ facts: _facts, ...shown }) => shown), null, 2)}\n`);
  else for (const detection of detections) process.stdout.write(`${detectionLine(detection)}\n`);
  return 0;
}
