import { MODE_IDS, type ModeId } from '../domain/modes.js';
import type { RecordedDetection } from '../recording/record-file.js';
import { timedDetection } from '../recording/timed-detection.js';
import { createRuntimes, detectSafely } from '../runtimes/registry.js';
import type { Runtime } from '../runtimes/types.js';

/** The adapters of a headless run and the detections of the modes it asked for, under way. */
export interface AskedModes {
  runtimes: Record<ModeId, Runtime>;
  wanted: readonly ModeId[];
  detections: Promise<RecordedDetection[]>;
}

/**
 * Starts detecting only the modes asked for (every mode for `auto`): a run pays for nothing it does
 * not use. `cc-iso run` calls it before the rest of its modules load, so the engines answer while
 * Node compiles them.
 */
export function askModes(modes: ModeId[] | 'auto'): AskedModes {
  const runtimes = createRuntimes();
  const wanted = modes === 'auto' ? MODE_IDS : modes;
  return { runtimes, wanted, detections: Promise.all(wanted.map((mode) => timedDetection(() => detectSafely(runtimes[mode])))) };
}
