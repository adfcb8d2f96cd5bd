import type { Detection } from '../domain/detection.js';
import type { RecordedDetection } from './record-file.js';

/** Runs a detection and notes how long it took, for the recording. */
export async function timedDetection(detect: () => Promise<Detection>, now = () => performance.now()): Promise<RecordedDetection> {
  const start = now();
  const detection = await detect();
  return { detection, ms: Math.round(now() - start) };
}
