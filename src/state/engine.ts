import type { CliOptions } from '../config/options.js';
import type { Detection } from '../domain/detection.js';
import type { ModeId } from '../domain/modes.js';
import type { TargetDetection } from '../domain/targets.js';
import type { Launch } from '../engine/plan-session.js';
import type { SessionFacts } from '../export/results-file.js';

/** Monotonic milliseconds; the engine stamps events with the same clock the timers read. */
export interface Clock {
  now(): number;
}

/**
 * Everything the app asks of the outside world. The real one wires the runtimes and the run
 * engine; tests and the bench pass a scripted fake, so no screen ever spawns a process.
 */
export interface AppEngine {
  /** The modes to detect, in the order the screens list them. */
  readonly modes: readonly ModeId[];
  detect(mode: ModeId): Promise<Detection>;
  /** Every Docker context and Podman connection, reachable or not; absent: none are offered. */
  detectTargets?(): Promise<TargetDetection[]>;
  /** Plans a session; rejects (e.g. a UsageError) when it cannot start. */
  plan(options: CliOptions, detections: Detection[]): Promise<Launch>;
  /** What the results files say about this machine and session, these secrets masked. */
  facts(detections: Detection[], secrets: string[]): SessionFacts;
  /** Writes a file (a relative path is in the working folder); resolves with the path written. */
  writeFile(name: string, content: string): Promise<string>;
  /** Remembers the choices for the next start. */
  remember(options: CliOptions): void;
}
