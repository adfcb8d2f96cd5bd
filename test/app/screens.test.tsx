import { describe, expect, it } from 'vitest';
import { MODE_IDS } from '../../src/domain/modes.js';
import { renderApp, setUpAppTests, type AppHarness } from './helpers/app.js';
import { bracketedPaste, KEYS } from './helpers/terminal.js';

setUpAppTests();

let app: AppHarness;

const PROBE = ['--mode', 'docker,podman', '--workload', 'probe'];

describe('detect screen', () => {
  it('shows a spinner per mode, then what each found or why it is missing', async () => {
    app = await renderApp({ instantDetection: false, found: { host: false, docker: true, podman: true, sandbox: false } });
    expect(app.lastFrame()).toContain('detecting isolation modes');
    expect(app.lastFrame().match(/checking…/g)).toHaveLength(MODE_IDS.length);
    app.engine.answer('docker');
    app.engine.answer('sandbox');
    await app.advance(100);
    expect(app.lastFrame()).toMatch(/✓ docker\s+docker engine 1\.0/);
    expect(app.lastFrame()).toMatch(/✗ sandbox\s+sandbox not installed — install sandbox/);
    expect(app.lastFrame().match(/checking…/g)).toHaveLength(MODE_IDS.length - 2);
    for (const mode of MODE_IDS.filter((m) => m !== 'docker' && m !== 'sandbox')) app.engine.answer(mode);
    await app.advance(100);
    expect(app.lastFrame()).toContain('choose what to run');
  });
});

describe('choose screen', () => {
  it('starts with the flags’ choices, so enter runs them at once', async () => {
    app = await renderApp({ argv: PROBE });
    const frame = app.lastFrame();
    expect(frame).toContain('[x] docker');
    expect(frame).toContain('[x] podman');
    expect(frame).toContain('[ ] host');
    expect(frame).toContain('‹ probe ›');
    expect(frame).toContain('enter starts docker, podman · probe · 1 run each');
    await app.press(KEYS.enter);
    expect(app.engine.session.options).toMatchObject({ modes: ['docker', 'podman'], workload: 'probe', runs: 1 });
    expect(app.engine.remembered).toHaveLength(1);
    expect(app.lastFrame()).toContain('1 docker');
  });

  it('preselects every available mode for --mode auto and refuses unavailable ones', async () => {
    app = await renderApp({ argv: [] });
    expect(app.controller.store.getState().choices.modes).toEqual(['docker', 'podman']);
    await app.press(KEYS.space); // the cursor is on host, which is missing
    expect(app.lastFrame()).toContain('host is unavailable here: host not installed');
    expect(app.controller.store.getState().choices.modes).toEqual(['docker', 'podman']);
    await app.press(KEYS.down);
    await app.press(KEYS.space);
    expect(app.lastFrame()).toContain('[ ] docker');
    expect(app.controller.store.getState().choices.modes).toEqual(['podman']);
  });

  it('changes the workload and the runs, and edits the prompt with a multi-line paste', async () => {
    app = await renderApp({ argv: PROBE });
    await app.press(KEYS.down, MODE_IDS.length); // the workload row
    await app.press(KEYS.left);
    expect(app.lastFrame()).toContain('‹ claude ›');
    await app.press(KEYS.down, 2);
    await app.press(KEYS.right, 2);
    expect(app.lastFrame()).toContain('‹ 3 ›');
    await app.press('p');
    await app.press(KEYS.ctrlU);
    app.stdin.write(bracketedPaste('first line\r\nsecond line\u0007'));
    await app.advance(30);
    await app.press('!');
    expect(app.lastFrame()).toContain('second line!█');
    expect(app.controller.scopes()).toEqual(['prompt']);
    await app.press('q'); // a letter here, not quit
    await app.press(KEYS.backspace);
    await app.press(KEYS.enter);
    expect(app.controller.store.getState().choices.prompt).toBe('first line\nsecond line!');
    expect(app.lastFrame()).toContain('first line');
    expect(app.lastFrame()).toContain('(+1 lines)');
    await app.press(KEYS.enter);
    expect(app.engine.session.options).toMatchObject({ workload: 'claude', runs: 3, prompt: 'first line\nsecond line!' });
  });

  it('drops prompt changes on escape', async () => {
    app = await renderApp({ argv: PROBE });
    await app.press('p');
    await app.press('x');
    await app.press(KEYS.escape);
    expect(app.controller.store.getState()).toMatchObject({ draft: null, choices: { prompt: 'Create notes.txt with three ideas for a README' } });
  });

  it('stays on the choose screen with the reason when a session cannot start', async () => {
    app = await renderApp({ argv: PROBE });
    app.engine.startError = new Error('the workspace /nope does not exist or is not a folder');
    await app.press(KEYS.enter);
    expect(app.lastFrame()).toContain('cannot start: the workspace /nope does not exist');
    expect(app.lastFrame()).toContain('choose what to run');
  });
});

describe('run screen', () => {
  it('puts two panes side by side with live timers at 160×45', async () => {
    app = await renderApp({ argv: PROBE, columns: 160, rows: 45 });
    await app.press(KEYS.enter);
    const session = app.engine.session;
    session.setStatus('docker', 'preparing');
    session.setStatus('podman', 'running', 'probe');
    session.output('docker', ['hello from docker']);
    session.output('podman', ['hello from podman', '\u001B[31mred\u001B[39m']);
    // The timers tick every 100 ms from the first flush, 50 ms after the events.
    await app.advance(2050);
    const [title, header] = app.lastFrame().split('\n');
    expect(title).toContain('probe · docker, podman · 2 going · 0 of 2 runs done');
    expect(header).toMatch(/┏━+┓╭─+╮/);
    const row = app.lastFrame().split('\n')[2] ?? '';
    expect(row).toMatch(/1 docker #1 ● preparing 2\.00 s.*2 podman #1 ● running probe 2\.00 s/);
    expect(app.lastFrame()).toContain('hello from podman');
    await app.advance(1500);
    expect(app.lastFrame()).toMatch(/preparing 3\.50 s/);
    expect(app.lastFrame().split('\n').at(-1)).toContain('tab focus');
  });

  it('stacks the panes at 80×24', async () => {
    app = await renderApp({ argv: PROBE, columns: 80, rows: 24 });
    await app.press(KEYS.enter);
    const lines = app.lastFrame().split('\n');
    expect(lines).toHaveLength(24);
    expect(lines.findIndex((line) => line.includes('1 docker'))).toBe(2);
    expect(lines.findIndex((line) => line.includes('2 podman'))).toBe(13);
  });
});

describe('results screen', () => {
  it('shows the table, the verdicts and the errors, with the columns that fit', async () => {
    app = await renderApp({ argv: PROBE, columns: 80, rows: 24 });
    await app.press(KEYS.enter);
    app.engine.session.finish('docker', 'passed');
    app.engine.session.finish('podman', 'failed');
    await app.advance(100);
    const frame = app.lastFrame();
    expect(frame).toContain('results · 1 of 2 runs passed');
    expect(frame).toMatch(/mode\s+run\s+status/);
    expect(frame).toMatch(/docker\s+#1\s+passed/);
    expect(frame).toContain('✗ podman #1: podman failed');
    expect(frame.split('\n').every((line) => [...line].length <= 80)).toBe(true);
    expect(frame.split('\n').at(-1)).toContain('e RESULTS.md');
    // One run per mode: no statistics to repeat the table.
    expect(frame).not.toContain('startup median');
  });

  it.each([
    [80, 24],
    [160, 45],
  ])('shows the statistics per mode with two runs each at %i×%i', async (columns, rows) => {
    app = await renderApp({ argv: ['--mode', 'host,docker', '--workload', 'probe', '--runs', '2'], columns, rows, found: { host: true, docker: true } });
    await app.press(KEYS.enter);
    for (const [mode, first, second] of [['host', 100, 120], ['docker', 400, 440]] as const) {
      app.engine.session.finish(mode, 'passed', 1, first);
      app.engine.session.finish(mode, 'passed', 2, second);
    }
    await app.advance(100);
    const lines = app.lastFrame().split('\n');
    expect(lines).toHaveLength(rows);
    expect(lines.every((line) => [...line].length <= columns)).toBe(true);
    expect(lines.some((line) => /^ mode .*startup \[ms\] .*startup median\s+min\s+max\s+startup vs host$/.test(line))).toBe(true);
    // mean ± σ, median, min, max and the ratio to host, as `cc-iso run` prints them.
    expect(lines.some((line) => /^ host .*110 ± 14 .*110\s+100\s+120\s+baseline$/.test(line))).toBe(true);
    expect(lines.some((line) => /^ docker .*420 ± 28 .*420\s+400\s+440\s+3\.82 ± 0\.\d\d×$/.test(line))).toBe(true);
  });
});
