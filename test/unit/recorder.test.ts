import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ModeId } from '../../src/domain/modes.js';
import type { ResultsFile } from '../../src/domain/results.js';
import { belongsToLiveSession } from '../../src/engine/live-sessions.js';
import { planOf, type Launch } from '../../src/engine/plan-session.js';
import { startSession } from '../../src/engine/session.js';
import type { SessionFacts } from '../../src/export/results-file.js';
import { ExportTargetError, SessionRecorder } from '../../src/recording/recorder.js';
import type { Runtime } from '../../src/runtimes/types.js';
import { FakeRuntime, ManualClock, probeLines, type FakeScript } from '../helpers/fake-runtime.js';
import { sessionOptions } from '../helpers/session.js';

const FACTS: SessionFacts = {
  startedAt: '2026-12-01T00:00:00.000Z',
  command: 'cc-iso run',
  host: { os: 'Linux', arch: 'x64', kernel: '6.1', user: 'me (uid 1000)' },
  runtimes: {},
};

function launchOf(modes: ModeId[], runs = 1, script: FakeScript = { lines: probeLines(), exitAfter: 30 }): Launch & { started: string[] } {
  const clock = new ManualClock();
  const runtimes = Object.fromEntries(modes.map((mode) => [mode, new FakeRuntime(mode, clock, script)])) as unknown as Record<
    ModeId,
    Runtime
  >;
  const started: string[] = [];
  return {
    started,
    secrets: [],
    unavailable: [],
    plan: planOf(sessionOptions({ modes, runs })),
    start: (sessionId, emit) => {
      started.push(sessionId);
      return startSession(sessionOptions({ modes, runs }), { runtimes, now: clock.now, sessionId }, emit);
    },
  };
}

/** A recorder writing into a map, each write taking `delayMs`. */
function recorderWith(targets: { json: string | null; markdown: string | null }, delayMs = 0, failFirst = false) {
  const writes: { target: string; content: string }[] = [];
  const warnings: string[] = [];
  let calls = 0;
  const recorder = new SessionRecorder({
    targets,
    write: async (target, content) => {
      calls += 1;
      if (failFirst && calls === 1) throw new Error("EACCES: permission denied, open 'r.json'");
      await sleep(delayMs);
      writes.push({ target, content });
      return target;
    },
    facts: () => FACTS,
    warn: (message) => warnings.push(message),
  });
  const jsonWrites = () => writes.filter((w) => w.target === targets.json).map((w) => JSON.parse(w.content) as ResultsFile);
  return { recorder, writes, warnings, jsonWrites };
}

describe('the session recorder', () => {
  it('writes the exports before any run, after finished runs, and once more when finished, in plan order', async () => {
    const { recorder, jsonWrites } = recorderWith({ json: 'r.json', markdown: 'R.md' });
    const session = await recorder.start(launchOf(['host', 'docker'], 2), () => {});
    expect(jsonWrites()[0]!.runs).toEqual([]);
    await session.done;
    const file = await recorder.finish();
    expect(file.runs.map((r) => `${r.mode}#${r.iteration}`)).toEqual(['host#1', 'docker#1', 'host#2', 'docker#2']);
    const last = jsonWrites().at(-1)!;
    expect(last.runs).toHaveLength(4);
    expect(last).toEqual(JSON.parse(JSON.stringify(file)));
  });

  it('coalesces rewrites while one is in flight, so a long session does not queue one per run', async () => {
    const { recorder, jsonWrites } = recorderWith({ json: 'r.json', markdown: null }, 200);
    const session = await recorder.start(launchOf(['host'], 20), () => {});
    await session.done;
    await recorder.finish();
    const writes = jsonWrites();
    // One before the runs, one final, and far fewer than one per run between them.
    expect(writes.length).toBeLessThan(10);
    expect(writes.at(-1)!.runs).toHaveLength(20);
  });

  it('writes `-` only once, at the end', async () => {
    const { recorder, writes } = recorderWith({ json: '-', markdown: null });
    const session = await recorder.start(launchOf(['host']), () => {});
    await session.done;
    await recorder.finish();
    expect(writes.map((w) => w.target)).toEqual(['-']);
  });

  it('refuses to start when a target cannot be written, before any run', async () => {
    const { recorder } = recorderWith({ json: 'r.json', markdown: null }, 0, true);
    const launch = launchOf(['host']);
    await expect(recorder.start(launch, () => {})).rejects.toThrow(ExportTargetError);
    expect(launch.started).toEqual([]);
  });

  it('puts a rerun in the places of the runs it redoes', async () => {
    const { recorder } = recorderWith({ json: null, markdown: null });
    const first = await recorder.start(launchOf(['host', 'docker']), () => {});
    await first.done;
    const dockerRun = first.runs.find((run) => run.mode === 'docker')!.id;
    const again = await recorder.start(launchOf(['docker']), () => {}, [dockerRun]);
    await again.done;
    const file = await recorder.finish();
    expect(file.runs.map((r) => r.id)).toEqual([first.runs[0]!.id, again.runs[0]!.id]);
  });

  it('registers each session as live while it runs, so `clean` keeps its containers', async () => {
    const { recorder } = recorderWith({ json: null, markdown: null });
    const launch = launchOf(['docker'], 1, { lines: probeLines(), hang: true });
    const session = await recorder.start(launch, () => {});
    const container = `cc-iso-${session.id}-docker-1-probe`;
    expect(belongsToLiveSession(container)).toBe(true);
    session.stopAll();
    await session.done;
    await recorder.finish();
    expect(belongsToLiveSession(container)).toBe(false);
  });
});
