import { describe, expect, it, vi } from 'vitest';
import { renderApp, setUpAppTests, type AppHarness } from './helpers/app.js';
import { KEYS } from './helpers/terminal.js';

setUpAppTests();

let app: AppHarness;

const PROBE = ['--mode', 'docker,podman', '--workload', 'probe'];

/** Starts the app and the two runs; returns the harness with both running. */
async function running(columns = 160, rows = 45, argv = PROBE): Promise<AppHarness> {
  app = await renderApp({ argv, columns, rows });
  await app.press(KEYS.enter);
  app.engine.session.setStatus('docker', 'running', 'probe');
  app.engine.session.setStatus('podman', 'running', 'probe');
  await app.advance(60);
  return app;
}

const focused = (harness: AppHarness) => harness.controller.store.getState().focus;

describe('choose → run → results', () => {
  it('runs the scripted session to the results and quits with its exit code', async () => {
    const harness = await running();
    harness.engine.session.output('docker', ['probe: kernel 6.1']);
    harness.engine.session.finish('docker', 'passed');
    await harness.advance(60);
    expect(harness.lastFrame()).toContain('✓ passed');
    expect(harness.lastFrame()).toContain('probe: kernel 6.1');
    harness.engine.session.finish('podman', 'passed');
    await harness.advance(60);
    expect(harness.lastFrame()).toContain('results · 2 of 2 runs passed');
    await harness.press('q');
    await expect(harness.controller.closed).resolves.toBe(0);
  });

  it('writes RESULTS.md and results.json and says so, then starts again', async () => {
    const harness = await running();
    harness.engine.session.finish('docker', 'passed');
    harness.engine.session.finish('podman', 'failed');
    await harness.advance(60);
    await harness.press('e');
    expect(harness.lastFrame()).toContain('wrote /work/RESULTS.md');
    expect(harness.engine.files.get('RESULTS.md')).toMatch(/\| docker \| #1 \| passed \|/);
    await harness.press('j');
    expect(harness.lastFrame()).toContain('wrote /work/results.json');
    const file = JSON.parse(harness.engine.files.get('results.json') ?? '{}') as { schemaVersion: number; runs: unknown[] };
    expect(file.schemaVersion).toBe(1);
    expect(file.runs).toHaveLength(2);
    await harness.press(KEYS.enter);
    expect(harness.lastFrame()).toContain('choose what to run');
    await harness.press(KEYS.enter);
    expect(harness.engine.sessions).toHaveLength(2);
  });
});

describe('panes', () => {
  it('moves focus with tab, shift-tab and the digits', async () => {
    const harness = await running();
    await harness.press(KEYS.tab);
    expect(focused(harness)).toBe(1);
    expect(harness.lastFrame().split('\n')[1]).toMatch(/╭─+╮┏━+┓/);
    await harness.press(KEYS.tab);
    expect(focused(harness)).toBe(0);
    await harness.press(KEYS.shiftTab);
    expect(focused(harness)).toBe(1);
    await harness.press('1');
    expect(focused(harness)).toBe(0);
    await harness.press('9'); // no ninth pane
    expect(focused(harness)).toBe(0);
  });

  it('zooms the focused pane to the whole screen and back', async () => {
    const harness = await running(80, 24);
    await harness.press('2');
    await harness.press('z');
    let frame = harness.lastFrame();
    expect(frame).not.toContain('1 docker');
    expect(frame).toContain('2 podman');
    expect(frame.split('\n')[1]).toMatch(/^┏━{78}┓$/);
    expect(frame.split('\n')[22]).toMatch(/^┗━{78}┛$/);
    await harness.press('z');
    frame = harness.lastFrame();
    expect(frame).toContain('1 docker');
    expect(frame).toContain('2 podman');
  });

  it('scrolls the focused pane back through its history and follows again', async () => {
    const harness = await running(80, 24);
    harness.engine.session.output('docker', Array.from({ length: 100 }, (_, i) => `line ${i}`));
    await harness.advance(60);
    expect(harness.lastFrame()).toContain('line 99');
    await harness.press(KEYS.up, 2);
    expect(harness.lastFrame()).toContain('↑ 2 lines back');
    expect(harness.lastFrame()).toContain('line 97');
    expect(harness.lastFrame()).not.toContain('line 99');
    await harness.press(KEYS.pageUp);
    expect(harness.controller.store.getState().panes[0]?.scroll).toBe(2 + harness.controller.store.getState().pageSize);
    // New output does not move a scrolled view.
    harness.engine.session.output('docker', ['line 100']);
    await harness.advance(60);
    expect(harness.lastFrame()).toContain('line 88');
    await harness.press(KEYS.end);
    expect(harness.lastFrame()).toContain('line 100');
    expect(harness.lastFrame()).not.toContain('lines back');
  });

  it('says how far a pane is scrolled and how many older lines it dropped', async () => {
    const harness = await running();
    harness.engine.session.output('docker', Array.from({ length: 2500 }, (_, i) => `line ${i}`));
    await harness.advance(60);
    const header = () => harness.lastFrame().split('\n')[2] ?? '';
    expect(header()).toMatch(/1 docker .* 500 older lines dropped┃/);
    expect(header()).not.toContain('lines back');
    await harness.press(KEYS.up, 3);
    expect(header()).toMatch(/1 docker .* ↑ 3 lines back · 500 older lines dropped┃/);
  });

  it('stops the focused run only', async () => {
    const harness = await running();
    await harness.press('k');
    const { session } = harness.engine;
    expect(session.stopped).toEqual([session.run('docker').id]);
    await harness.advance(60);
    expect(harness.lastFrame()).toMatch(/1 docker #1 ■ cancelled/);
    expect(harness.lastFrame()).toMatch(/2 podman #1 ● running/);
    await harness.press('k');
    expect(harness.lastFrame()).toContain('docker has already ended');
  });

  it('reruns a mode that has ended in a new session, in the same pane', async () => {
    const harness = await running();
    await harness.press('r');
    expect(harness.lastFrame()).toContain('docker is still running; k stops it first');
    harness.engine.session.output('docker', ['old output']);
    harness.engine.session.finish('docker', 'failed');
    await harness.advance(60);
    await harness.press('r');
    expect(harness.engine.sessions).toHaveLength(2);
    expect(harness.engine.session.options.modes).toEqual(['docker']);
    harness.engine.session.setStatus('docker', 'running', 'probe');
    await harness.advance(60);
    expect(harness.lastFrame()).not.toContain('old output');
    expect(harness.lastFrame()).toMatch(/1 docker #1 ● running/);
    // The results wait for both sessions.
    harness.engine.sessions[0]?.finish('podman', 'passed');
    await harness.advance(60);
    expect(harness.controller.store.getState().phase).toBe('run');
    harness.engine.session.finish('docker', 'passed');
    await harness.advance(60);
    expect(harness.lastFrame()).toContain('results · 2 of 2 runs passed');
  });

  it('relays out when the terminal is resized', async () => {
    const harness = await running(160, 45);
    expect(harness.lastFrame().split('\n')[2]).toMatch(/1 docker.*2 podman/);
    harness.stdout.resize(80, 24);
    await harness.advance(60);
    const lines = harness.lastFrame().split('\n');
    expect(lines).toHaveLength(24);
    expect(lines[2]).not.toContain('2 podman');
    expect(lines.every((line) => [...line].length <= 80)).toBe(true);
  });
});

describe('quitting', () => {
  it('stops every run gracefully on q, forces on the second press, and quits once the session ended', async () => {
    const harness = await running();
    harness.engine.session.ignoresStop = true;
    const { session } = harness.engine;
    await harness.press('q');
    expect(session.stopAllCalls).toBe(1);
    expect(harness.lastFrame()).toContain('stopping every run… (q again forces)');
    const closed = vi.fn();
    void harness.controller.closed.then(closed);
    await harness.advance(5000);
    expect(closed).not.toHaveBeenCalled();
    await harness.press('q');
    expect(session.forceCalls).toBe(1);
    await expect(harness.controller.closed).resolves.toBe(1);
    expect(harness.controller.store.getState().phase).toBe('closed');
  });

  it('quits after a graceful stop on ctrl-c without forcing', async () => {
    const harness = await running();
    await harness.press(KEYS.ctrlC);
    await expect(harness.controller.closed).resolves.toBe(1);
    expect(harness.engine.session.forceCalls).toBe(0);
  });

  it('quits at once before anything runs', async () => {
    app = await renderApp({ argv: PROBE });
    await app.press('q');
    await expect(app.controller.closed).resolves.toBe(0);
    expect(app.engine.sessions).toHaveLength(0);
  });

  it('shows every key on ? and closes on escape', async () => {
    const harness = await running(80, 24);
    await harness.press('?');
    expect(harness.lastFrame()).toContain('Keys');
    expect(harness.lastFrame()).toContain('focus the previous pane');
    await harness.press(KEYS.escape);
    await harness.advance(30);
    expect(harness.lastFrame()).not.toContain('focus the previous pane');
    expect(harness.lastFrame()).toContain('1 docker');
  });
});
