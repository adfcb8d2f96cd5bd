import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MODE_IDS } from '../domain/modes.js';
import type { SessionFacts } from '../export/results-file.js';
import type { Recording } from '../recording/record-file.js';
import { REAL_TIME, ReplayClock, replayLaunch, type RealTime, type ReplaySession } from '../recording/replay.js';
import type { Detection } from '../domain/detection.js';
import type { AppEngine, ReplayControls } from '../state/engine.js';

/** The longest a replayed detection spinner turns, in real time: the room waits for the runs, not for this. */
const MAX_DETECTION_MS = 1500;

export interface ReplayEngine extends AppEngine {
  readonly replay: ReplayControls;
  readonly clock: ReplayClock;
}

/**
 * The app's engine fed from a recording: no runtime, no credential, no network. Detection answers
 * what was recorded; the first plan is the recorded session, later plans its recorded reruns,
 * each started when the replay clock reaches it. The results files get the recorded facts.
 */
export function createReplayEngine(
  recording: Recording,
  options: { speed: number; from?: number; real?: RealTime },
): ReplayEngine {
  const real = options.real ?? REAL_TIME;
  // The recording's clock starts with its session, not while detection is shown.
  const clock = new ReplayClock(options.speed, real, options.from ?? 0, true);
  let started = false;
  const detections = new Map(recording.detections.map((recorded) => [recorded.detection.mode, recorded]));
  const sessions = new Set<ReplaySession>();
  let nextLaunch = 0;
  let reruns: (() => void)[] = [];
  let handlers: Parameters<ReplayControls['attach']>[0] | null = null;
  const step = Math.max(5000, recording.durationMs / 20);

  /** Each recorded rerun starts when the clock reaches it, as the app's r did. */
  const scheduleReruns = () => {
    reruns = recording.launches.slice(1).map((launch) =>
      clock.at(launch.t, () => handlers?.rerun(launch.plan, launch.redoes)),
    );
  };

  const replay: ReplayControls = {
    plan: recording.launches[0]!.plan,
    speed: options.speed,
    durationMs: recording.durationMs,
    position: () => Math.min(clock.now(), recording.durationMs),
    paused: () => clock.paused(),
    toggle: () => (clock.paused() ? clock.resume() : clock.pause()),
    seek(direction) {
      const from = Math.min(clock.now(), recording.durationMs);
      const to = Math.min(recording.durationMs, Math.max(0, from + direction * step));
      if (to >= from) return clock.seek(to);
      // Shown events cannot be taken back: start the recording over, played at once up to `to`.
      for (const session of sessions) session.abandon();
      sessions.clear();
      for (const cancel of reruns) cancel();
      nextLaunch = 0;
      clock.seek(to);
      handlers?.restart();
    },
    attach(given) {
      handlers = given;
    },
  };

  return {
    modes: MODE_IDS,
    clock,
    replay,
    detect(mode) {
      const recorded = detections.get(mode);
      const detection: Detection = recorded?.detection ?? {
        mode,
        available: false,
        runtime: null,
        version: null,
        details: [],
        reason: 'not detected in this recording',
        fix: null,
      };
      const wait = Math.min(MAX_DETECTION_MS, (recorded?.ms ?? 0) / options.speed);
      return new Promise((settle) => real.setTimeout(() => settle(detection), wait));
    },
    async plan() {
      const launch = recording.launches[nextLaunch];
      if (!launch) throw new Error('the recording has no further session');
      if (nextLaunch === 0) scheduleReruns();
      if (!started) clock.resume();
      started = true;
      nextLaunch += 1;
      return replayLaunch(launch, clock, (session) => {
        sessions.add(session);
        void session.done.then(() => sessions.delete(session));
      });
    },
    facts: () => recordedFacts(recording),
    async writeFile(name, content) {
      const path = resolve(process.cwd(), name);
      await writeFile(path, content);
      return path;
    },
    remember: () => {},
  };
}

/** The facts of the recorded session, its end included, so a replay's results file is the live one's. */
export function recordedFacts(recording: Recording): SessionFacts {
  return { ...recording.header.facts, finishedAt: recording.results?.finishedAt ?? undefined };
}
