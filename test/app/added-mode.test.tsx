import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MODE_IDS, MODES, type ModeId, type ModeInfo } from '../../src/domain/modes.js';
import { startSession } from '../../src/engine/session.js';
import { renderMarkdown } from '../../src/export/markdown.js';
import { buildResultsFile } from '../../src/export/results-file.js';
import type { Runtime } from '../../src/runtimes/types.js';
import { FakeRuntime, ManualClock, probeLines } from '../helpers/fake-runtime.js';
import { sessionOptions } from '../helpers/session.js';
import { KEYS } from './helpers/terminal.js';
import { renderApp, setUpAppTests } from './helpers/app.js';

/**
 * A new mode is one row of the mode table and one adapter: this adds a do-nothing mode at run
 * time, with no change to the engine, the app's state and screens or the exports, and checks
 * that it is planned, run, measured against the baseline, reported, recommended and chosen.
 */
const NOTHING = 'nothing' as ModeId;
const row: ModeInfo = {
  id: NOTHING, label: 'nothing', isolation: 'a do-nothing test isolation', scope: 'isolates nothing, as a test', isolationClass: 'user-space-kernel',
  baseline: false, credential: 'environment', colour: 'blue',
};

beforeAll(() => {
  (MODE_IDS as unknown as ModeId[]).push(NOTHING);
  (MODES as Record<string, ModeInfo>)[NOTHING] = row;
});
afterAll(() => {
  (MODE_IDS as unknown as ModeId[]).splice(MODE_IDS.indexOf(NOTHING), 1);
  delete (MODES as Record<string, ModeInfo>)[NOTHING];
});

describe('a mode added as one table row and one adapter', () => {
  it('is run, compared with the baseline, reported and recommended', async () => {
    const clock = new ManualClock();
    const quick = { lines: probeLines(), exitAfter: 30 };
    const slow = { lines: probeLines().map((line, i) => (i === 0 ? { ...line, after: 300 } : line)), exitAfter: 30 };
    const runtimes = { host: new FakeRuntime('host', clock, quick), [NOTHING]: new FakeRuntime(NOTHING, clock, slow) } as unknown as Record<
      ModeId,
      Runtime
    >;
    const records = await startSession(sessionOptions({ modes: ['host', NOTHING], sequential: true }), { runtimes, now: clock.now }, () => {})
      .done;
    expect(records.map((r) => `${r.mode} ${r.status}`)).toEqual(['host passed', 'nothing passed']);
    const file = buildResultsFile(
      { startedAt: '2026-12-01T00:00:00.000Z', command: 'cc-iso run', host: { os: 'Linux', arch: 'x64', kernel: '6.1', user: 'me' }, runtimes: {} },
      records,
      true,
    );
    const summary = file.summary.find((s) => s.mode === NOTHING)!;
    expect(summary.startupVsHost?.deltaMs).toBe(200);
    expect(file.recommendation).toContain('Use nothing');
    expect(renderMarkdown(file)).toContain('nothing');
  });

  describe('in the app', () => {
    setUpAppTests();
    it('is listed, chosen and started', async () => {
      const app = await renderApp({ found: { docker: true, [NOTHING]: true } });
      expect(app.lastFrame()).toContain('nothing');
      expect(app.lastFrame()).toContain('choose what to run');
      await app.press(KEYS.enter);
      await vi.advanceTimersByTimeAsync(0);
      expect(app.engine.session.options.modes).toEqual(['docker', NOTHING]);
    });
  });
});
