import type { RunRecord } from '../domain/results.js';
import type { EngineEvent, RunInfo } from '../engine/events.js';
import type { Launch } from '../engine/plan-session.js';
import type { Session } from '../engine/session.js';
import type { RecordedLaunch } from './record-file.js';

/** Real time and timers; a cast render passes fake ones, so nothing really waits. */
export interface RealTime {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIME: RealTime = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Pending {
  at: number;
  run: () => void;
}

/**
 * The recording's clock during a replay: milliseconds since the recording started, moving `speed`
 * times as fast as real time, standing still while paused, and set anywhere by a seek. The app's
 * timers read it, so they tick at the replay's pace; callbacks wait for a position on it.
 */
export class ReplayClock {
  private anchorPosition: number;
  private anchorReal: number;
  private stopped = false;
  private pending: Pending[] = [];
  private timer: unknown = null;

  constructor(
    readonly speed: number,
    private readonly real: RealTime = REAL_TIME,
    start = 0,
    /** A clock made paused stands at `start` until resumed (the replay waits for its session to start). */
    paused = false,
  ) {
    this.anchorPosition = start;
    this.anchorReal = real.now();
    this.stopped = paused;
  }

  now = (): number =>
    this.stopped ? this.anchorPosition : this.anchorPosition + (this.real.now() - this.anchorReal) * this.speed;

  paused(): boolean {
    return this.stopped;
  }

  pause(): void {
    if (this.stopped) return;
    this.anchorPosition = this.now();
    this.stopped = true;
    this.arm();
  }

  resume(): void {
    if (!this.stopped) return;
    this.anchorReal = this.real.now();
    this.stopped = false;
    this.arm();
  }

  /** Moves to `position`; what waited for a place up to it runs now. */
  seek(position: number): void {
    this.anchorPosition = Math.max(0, position);
    this.anchorReal = this.real.now();
    this.arm();
  }

  /** Runs `callback` once the clock reaches `position` (soon, when it already has); returns a cancel. */
  at(position: number, callback: () => void): () => void {
    const entry = { at: position, run: callback };
    const index = this.pending.findIndex((other) => other.at > position);
    this.pending.splice(index === -1 ? this.pending.length : index, 0, entry);
    this.arm();
    return () => {
      this.pending = this.pending.filter((other) => other !== entry);
      this.arm();
    };
  }

  private arm(): void {
    if (this.timer !== null) this.real.clearTimeout(this.timer);
    this.timer = null;
    const next = this.pending[0];
    if (!next) return;
    const wait = next.at - this.now();
    // Paused: only what is already due runs (a seek while paused still shows its place).
    if (this.stopped && wait > 0) return;
    this.timer = this.real.setTimeout(() => this.fire(), Math.max(0, wait / this.speed));
  }

  private fire(): void {
    this.timer = null;
    const now = this.now();
    while (this.pending[0] && this.pending[0].at <= now) this.pending.shift()!.run();
    this.arm();
  }
}

/** A session played from a recording; `abandon` ends it without another event (a seek back). */
export interface ReplaySession extends Session {
  abandon(): void;
}

/**
 * One recorded session as the engine's Launch: its events go out when the replay clock reaches
 * their time, everything already past is sent at once. A run cannot be stopped (what happened is
 * what the recording says); stopping them all (q) ends the replay where it is.
 */
export function replayLaunch(recorded: RecordedLaunch, clock: ReplayClock, onStart: (session: ReplaySession) => void): Launch {
  return {
    secrets: [],
    unavailable: [],
    plan: recorded.plan,
    start: (_sessionId, emit) => {
      const session = playEvents(recorded, clock, emit);
      onStart(session);
      return session;
    },
  };
}

function playEvents(recorded: RecordedLaunch, clock: ReplayClock, emit: (event: EngineEvent) => void): ReplaySession {
  const runs: RunInfo[] = recorded.events.flatMap(({ event }) => (event.type === 'run-queued' ? [event.run] : []));
  const records = new Map<string, RunRecord>();
  let resolve: (records: RunRecord[]) => void = () => {};
  const done = new Promise<RunRecord[]>((settle) => {
    resolve = settle;
  });
  const finish = () => resolve(runs.flatMap((run) => records.get(run.id) ?? []));
  let next = 0;
  let cancel: () => void = () => {};
  const play = () => {
    const now = clock.now();
    while (next < recorded.events.length && recorded.events[next]!.t <= now) {
      const { event } = recorded.events[next++]!;
      if (event.type === 'run-finished') records.set(event.runId, event.record);
      emit(event);
    }
    const upcoming = recorded.events[next];
    if (upcoming) cancel = clock.at(upcoming.t, play);
    else finish();
  };
  play();
  const abandon = () => {
    cancel();
    finish();
  };
  return {
    id: `replay-${recorded.t}`,
    runs,
    done,
    stop: () => {},
    stopAll: abandon,
    forceStopAll: async () => abandon(),
    abandon,
  };
}
