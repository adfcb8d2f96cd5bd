import { MODE_IDS, type ModeId } from '../domain/modes.js';
import type { RecordedDetection } from '../recording/record-file.js';
import { timedDetection } from '../recording/timed-detection.js';
import { createRuntimes, detectSafely } from '../runtimes/registry.js';
import type { Runtime } from '../runtimes/types.js';

/** The adapters and the detections of the modes asked for, each under way (timed, for the recording). */
export interface AskedModes {
  runtimes: Record<ModeId, Runtime>;
  wanted: readonly ModeId[];
  detections: Map<ModeId, Promise<RecordedDetection>>;
}

/**
 * Starts detecting only the modes asked for (every mode for `auto`): a run pays for nothing it does
 * not use. Every command that detects calls it first; the app before Ink and React load, so the
 * engines answer while Node compiles them.
 */
export function askModes(modes: readonly ModeId[] | 'auto', now = () => performance.now()): AskedModes {
  const runtimes = createRuntimes();
  const wanted = modes === 'auto' ? MODE_IDS : modes;
  const detections = new Map(wanted.map((mode) => [mode, timedDetection(() => detectSafely(runtimes[mode]), now)] as const));
  return { runtimes, wanted, detections };
}

/** Every asked mode's detection, in the order asked. */
export function allAnswers(asked: AskedModes): Promise<RecordedDetection[]> {
  return Promise.all([...asked.detections.values()]);
}
