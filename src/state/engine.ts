import type { CliOptions } from '../config/options.js';
import type { Detection } from '../domain/detection.js';
import type { ModeId } from '../domain/modes.js';
import type { TargetDetection } from '../domain/targets.js';
import type { Launch, LaunchPlan } from '../engine/plan-session.js';
import type { SessionFacts } from '../export/results-file.js';
import type { RecordingSink } from '../recording/recording-sink.js';

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
  /** Every Docker context and Podman connection, reachable or not; absent: none are offered. Aborted: the questions end. */
  detectTargets?(signal: AbortSignal): Promise<TargetDetection[]>;
  /** Plans a session; rejects (e.g. a UsageError) when it cannot start. */
  plan(options: CliOptions, detections: Detection[]): Promise<Launch>;
  /** What the results files say about this machine and session, these secrets masked. */
  facts(detections: Detection[], secrets: string[]): SessionFacts;
  /** Writes a file (a relative path is in the working folder); resolves with the path written. */
  writeFile(name: string, content: string): Promise<string>;
  /** Remembers the choices for the next start. */
  remember(options: CliOptions): void;
  /** A recording for a new session (the app's kept copies, --record); absent where nothing is recorded. */
  record?(detections: Detection[], warn: (message: string) => void): RecordingSink;
  /** Present when the app replays a recording: the app starts it at once and offers the replay keys. */
  readonly replay?: ReplayControls;
}

/** What the replay keys and the title bar ask of a replay. */
export interface ReplayControls {
  /** The choices of the recorded session, started as soon as detection is shown. */
  readonly plan: LaunchPlan;
  readonly speed: number;
  readonly durationMs: number;
  /** Where the replay is, on the recording's clock. */
  position(): number;
  paused(): boolean;
  /** Space: pause or go on. */
  toggle(): void;
  /**
   * ← →: one step back or forward (a twentieth of the recording, at least 5 s). Going back cannot
   * take shown events back: the replay ends the sessions it was playing and calls `restart`,
   * which shows the session again from the start (played at once up to the new place).
   */
  seek(direction: -1 | 1): void;
  /** The app's handlers: start the recorded session again; start a recorded rerun of these runs. */
  attach(handlers: { restart(): void; rerun(plan: LaunchPlan, redoes: string[]): void }): void;
}
