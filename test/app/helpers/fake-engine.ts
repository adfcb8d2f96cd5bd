import type { CliOptions } from '../../../src/config/options.js';
import { parseOptions } from '../../../src/config/options.js';
import type { Detection } from '../../../src/domain/detection.js';
import { MODE_IDS, type ModeId } from '../../../src/domain/modes.js';
import { placementLabel, type TargetDetection } from '../../../src/domain/targets.js';
import { emptyTimings, isFinal, type RunRecord, type RunStatus } from '../../../src/domain/results.js';
import type { EngineEvent, LiveStatus, RunInfo } from '../../../src/engine/events.js';
import { newRecord, type Session } from '../../../src/engine/session.js';
import { planOf, type Launch } from '../../../src/engine/plan-session.js';
import type { SessionFacts } from '../../../src/export/results-file.js';
import { createRecording, memoryOutput, type RecordingSink } from '../../../src/recording/recording-sink.js';
import type { AppEngine, Clock } from '../../../src/state/engine.js';

/** The app's clock under vi.useFakeTimers(): Date is faked, so this moves with advanceTimersByTime. */
export function fakeClock(): Clock {
  const origin = Date.now();
  return { now: () => Date.now() - origin };
}

export function detection(mode: ModeId, available: boolean): Detection {
  return available
    ? { mode, available, runtime: `${mode} engine`, version: '1.0', details: [], reason: null, fix: null }
    : { mode, available, runtime: null, version: null, details: [], reason: `${mode} not installed`, fix: `install ${mode}` };
}

export function cliOptions(argv: string[] = []): CliOptions {
  return parseOptions(argv, {});
}

export function record(run: RunInfo, status: RunStatus, totalMs = 1234, startupMs = 420): RunRecord {
  const passed = status === 'passed';
  return {
    ...newRecord(run),
    status,
    exitCode: passed ? 0 : 1,
    runtime: `${run.mode} engine 1.0`,
    startedAt: '2026-01-01T00:00:00.000Z',
    timings: { ...emptyTimings(), startupMs, totalMs },
    error: passed ? null : `${run.mode} ${status}`,
  };
}

/**
 * A scripted session that follows the engine's contract: run-queued for every run at once, then
 * whatever the test emits; stop() ends a run as cancelled unless the session ignores stops.
 */
export class FakeSession implements Session {
  readonly id: string;
  readonly runs: RunInfo[];
  readonly done: Promise<RunRecord[]>;
  readonly stopped: string[] = [];
  stopAllCalls = 0;
  forceCalls = 0;
  /** A container that ignores SIGTERM: only forceStopAll() ends its runs. */
  ignoresStop = false;
  private readonly status = new Map<string, LiveStatus>();
  private readonly records = new Map<string, RunRecord>();
  private resolve: (records: RunRecord[]) => void = () => {};

  constructor(
    readonly options: CliOptions,
    private readonly emit: (event: EngineEvent) => void,
    private readonly clock: Clock,
    index: number,
  ) {
    this.id = `s${index}`;
    const modes = options.modes === 'auto' ? [] : options.modes;
    this.runs = Array.from({ length: options.runs }, (_, i) =>
      [
        ...modes.map((mode): RunInfo => ({ id: `${this.id}-${mode}-${i + 1}`, mode, workload: options.workload, iteration: i + 1, warmup: false })),
        ...options.targets.map(({ mode, target }): RunInfo => ({
          id: `${this.id}-${mode}-${target}-${i + 1}`, mode, target, workload: options.workload, iteration: i + 1, warmup: false,
        })),
      ],
    ).flat();
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
    for (const run of this.runs) {
      this.status.set(run.id, 'queued');
      emit({ type: 'run-queued', run });
    }
  }

  /** A run by its mode, or `mode@target` for a run on another engine. */
  run(mode: string, iteration = 1): RunInfo {
    const run = this.runs.find((r) => placementLabel({ mode: r.mode, target: r.target ?? null }) === mode && r.iteration === iteration);
    if (!run) throw new Error(`no run ${mode} #${iteration} in ${this.id}`);
    return run;
  }

  setStatus(mode: string, status: LiveStatus, step: string | null = null, iteration = 1): void {
    const run = this.run(mode, iteration);
    this.status.set(run.id, status);
    this.emit({ type: 'status', runId: run.id, status, step, at: this.clock.now() });
  }

  output(mode: string, lines: string[], iteration = 1, stream: 'stdout' | 'stderr' | 'cc-iso' = 'stdout'): void {
    const run = this.run(mode, iteration);
    for (const text of lines) this.emit({ type: 'output', runId: run.id, stream, text, at: this.clock.now() });
  }

  finish(mode: string, status: RunStatus, iteration = 1, startupMs?: number): void {
    this.end(this.run(mode, iteration), status, startupMs);
  }

  stop(runId: string): void {
    this.stopped.push(runId);
    const run = this.runs.find((r) => r.id === runId);
    if (run && !this.ignoresStop) this.end(run, 'cancelled');
  }

  stopAll(): void {
    this.stopAllCalls += 1;
    for (const run of this.runs) this.stop(run.id);
  }

  async forceStopAll(): Promise<void> {
    this.forceCalls += 1;
    for (const run of this.runs) this.end(run, 'cancelled');
  }

  private end(run: RunInfo, status: RunStatus, startupMs?: number): void {
    if (isFinal(this.status.get(run.id) ?? 'queued')) return;
    this.status.set(run.id, status);
    const result = record(run, status, undefined, startupMs);
    this.records.set(run.id, result);
    this.emit({ type: 'status', runId: run.id, status, step: null, at: this.clock.now() });
    this.emit({ type: 'run-finished', runId: run.id, record: result, at: this.clock.now() });
    if (this.records.size === this.runs.length) {
      const records = this.runs.flatMap((r) => this.records.get(r.id) ?? []);
      this.emit({ type: 'session-finished', records, at: this.clock.now() });
      this.resolve(records);
    }
  }
}

/** The app's engine with scripted detections and sessions, and files kept in memory. */
export class FakeEngine implements AppEngine {
  readonly modes = MODE_IDS;
  readonly sessions: FakeSession[] = [];
  readonly files = new Map<string, string>();
  readonly remembered: CliOptions[] = [];
  startError: Error | null = null;
  /** When set, every file write fails with it. */
  writeError: Error | null = null;
  private readonly pending = new Map<ModeId, (detection: Detection) => void>();

  constructor(
    readonly clock: Clock,
    private readonly found: Partial<Record<ModeId, boolean>> = { host: false, docker: true, podman: true, sandbox: false },
    /** When false, detections wait for answer(). */
    private readonly instant = true,
    /** The Docker contexts / Podman connections detection finds. */
    private readonly targets: TargetDetection[] = [],
    /** When true, they are found only at answerTargets(), as a slow target's probe is. */
    private readonly targetsLater = false,
  ) {}

  private pendingTargets: ((found: TargetDetection[]) => void) | null = null;
  /** What the app handed the target detection: aborted once nobody waits for the answer. */
  targetSignal: AbortSignal | null = null;

  detectTargets(signal: AbortSignal): Promise<TargetDetection[]> {
    this.targetSignal = signal;
    if (!this.targetsLater) return Promise.resolve(this.targets);
    return new Promise((resolve) => {
      this.pendingTargets = resolve;
    });
  }

  /** Answers the waiting target detection. */
  answerTargets(): void {
    this.pendingTargets?.(this.targets);
  }

  detect(mode: ModeId): Promise<Detection> {
    const result = detection(mode, this.found[mode] ?? false);
    if (this.instant) return Promise.resolve(result);
    return new Promise((resolve) => this.pending.set(mode, resolve));
  }

  /** Answers a waiting detection. */
  answer(mode: ModeId): void {
    this.pending.get(mode)?.(detection(mode, this.found[mode] ?? false));
  }

  async plan(options: CliOptions, _detections: Detection[]): Promise<Launch> {
    if (this.startError) throw this.startError;
    return {
      secrets: [],
      unavailable: [],
      plan: planOf({ ...options, modes: options.modes === 'auto' ? [] : options.modes }),
      start: (_sessionId, emit) => {
        const session = new FakeSession(options, emit, this.clock, this.sessions.length + 1);
        this.sessions.push(session);
        return session;
      },
    };
  }

  get session(): FakeSession {
    const last = this.sessions.at(-1);
    if (!last) throw new Error('no session started');
    return last;
  }

  facts(): SessionFacts {
    return {
      startedAt: '2026-01-01T00:00:00.000Z',
      command: 'cc-iso --mode docker,podman',
      host: { os: 'Debian', arch: 'x64', kernel: '6.1', user: 'me (uid 1000)' },
      runtimes: { docker: 'docker engine 1.0', podman: 'podman engine 1.0' },
    };
  }

  async writeFile(name: string, content: string): Promise<string> {
    if (this.writeError) throw this.writeError;
    this.files.set(name, content);
    return `/work/${name}`;
  }

  remember(options: CliOptions): void {
    this.remembered.push(options);
  }

  /** Each session's recording, kept in memory. */
  readonly recordings: RecordingSink[] = [];

  record(detections: Detection[]): RecordingSink {
    const sink = createRecording({
      now: () => this.clock.now(),
      detections: detections.map((detection) => ({ detection, ms: 5 })),
      terminal: null,
      output: memoryOutput(),
    });
    this.recordings.push(sink);
    return sink;
  }
}
