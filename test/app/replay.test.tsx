import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/domain/results.js';
import { fittedModel } from '../../src/app/results-view.js';
import { parseRecording } from '../../src/recording/record-file.js';
import { fixtureRecording, renderApp, renderReplay, setUpAppTests, type ReplayHarness } from './helpers/app.js';
import { KEYS } from './helpers/terminal.js';

setUpAppTests();

/** The probe in host, Docker and Podman, two rounds, recorded by `cc-iso run --record` here. */
const PROBE = 'probe-host-docker-podman.ndjson';
/** Real Claude Code on the host and in Docker against the mock Messages API, recorded the same way. */
const CLAUDE = 'claude-mock-host-docker.ndjson';
/** The API key that session ran with, in its environment and its prompt. */
const CLAUDE_TOKEN = 'sk-ant-api03-cc-iso-fixture-secret-0123456789abcdef';

const screen = (app: ReplayHarness) => stripVTControlCharacters(app.lastFrame());
const phase = (app: ReplayHarness) => app.controller.store.getState().phase;

/** Advances fake time in small steps until the app reaches `wanted`; returns the time it took. */
async function until(app: ReplayHarness, wanted: string, limitMs: number): Promise<number> {
  let spent = 0;
  while (phase(app) !== wanted && spent < limitMs) {
    await app.advance(100);
    spent += 100;
  }
  return spent;
}

/** The elapsed timers a frame shows ("1.42 s", "850 ms"). */
function timers(frame: string): string[] {
  return frame.match(/● \w+(?: probe)? (\d+(?:\.\d+)? m?s)/g) ?? [];
}

describe('replaying a recorded session in the app', () => {
  it('shows detection, the panes with moving timers, then the recorded table and recommendation', async () => {
    const recording = fixtureRecording(PROBE);
    const results = recording.results!;
    const app = await renderReplay(recording);
    expect(screen(app)).toContain('Looking for isolation runtimes');
    await until(app, 'run', 3000);
    expect(phase(app)).toBe('run');
    await app.advance(1500);
    const before = timers(screen(app));
    await app.advance(1000);
    const after = timers(screen(app));
    expect(before.length).toBeGreaterThan(0);
    expect(after).not.toEqual(before);
    expect(screen(app)).toMatch(/docker[\s\S]*podman/);
    expect(screen(app)).toContain('probe: ready');

    await until(app, 'results', 20_000);
    const frame = screen(app);
    // Every run of the recorded table, each cell as the live session measured it.
    const lines = frame.split('\n');
    for (const row of fittedModel(results.runs, 158).rows) {
      const cells = new RegExp(row.map((cell) => cell.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
      expect(lines.some((line) => cells.test(line)), row.join(' ')).toBe(true);
    }
    expect(frame.replace(/\s+/g, ' ')).toContain(results.recommendation!.replace(/\s+/g, ' ').slice(0, 60));
    expect(app.controller.store.getState().notice ?? '').not.toMatch(/could not/);
  });

  it('at --speed 10 plays the session in a tenth of the time', async () => {
    const recording = fixtureRecording(PROBE);
    const runsFor = async (speed: number) => {
      const app = await renderReplay(recording, { speed });
      await until(app, 'run', 3000);
      return until(app, 'results', 30_000);
    };
    const atOne = await runsFor(1);
    const atTen = await runsFor(10);
    // The runs take the recorded time at ×1 and a tenth of it at ×10 (to the 100 ms steps of `until`).
    expect(Math.abs(atOne - recording.durationMs)).toBeLessThanOrEqual(300);
    expect(Math.abs(atTen - recording.durationMs / 10)).toBeLessThanOrEqual(300);
  });

  it('pauses with space and seeks with ← →, the keys shown only in a replay', async () => {
    const recording = fixtureRecording(PROBE);
    const app = await renderReplay(recording);
    await until(app, 'run', 3000);
    await app.advance(2000);
    expect(screen(app)).toMatch(/space pause/);
    expect(screen(app)).not.toMatch(/k stop|r rerun/);
    await app.press(KEYS.space);
    const paused = app.engine.replay.position();
    await app.advance(200);
    const frame = timers(screen(app));
    await app.advance(3000);
    expect(app.engine.replay.position()).toBe(paused);
    expect(timers(screen(app))).toEqual(frame);
    expect(screen(app)).toContain('paused');
    await app.press(KEYS.space);
    await app.advance(1000);
    expect(app.engine.replay.position()).toBeGreaterThan(paused + 900);

    // Forward past the end: the results; back: the runs again, from a place before the end.
    await app.press(KEYS.right, 4);
    await app.advance(200);
    expect(phase(app)).toBe('results');
    await app.press(KEYS.left);
    await app.advance(200);
    expect(phase(app)).toBe('run');
    expect(app.engine.replay.position()).toBeLessThan(recording.durationMs);
    expect(app.engine.replay.position()).toBeGreaterThan(recording.durationMs - 6000);
    // What had happened before that place is on screen at once: the first round's runs have passed.
    expect(Object.values(app.controller.store.getState().runs).filter((run) => run.status === 'passed').length).toBeGreaterThanOrEqual(3);
    await until(app, 'results', 10_000);
    expect(phase(app)).toBe('results');
  });

  it('starts --from a place in the recording, with what happened before it already shown', async () => {
    const recording = fixtureRecording(PROBE);
    const app = await renderReplay(recording, { from: 8000, speed: 2 });
    await until(app, 'run', 3000);
    await app.advance(100);
    const runs = Object.values(app.controller.store.getState().runs);
    // The first round ended at 6.8 s in the recording; the second is under way at 8 s.
    expect(runs.filter((run) => run.status === 'passed').map((run) => run.info.iteration)).toEqual([1, 1, 1]);
    expect(runs.filter((run) => run.info.iteration === 2).map((run) => run.status)).toEqual(['running', 'starting', 'starting']);
    expect(screen(app).split('\n')[0]).toMatch(/▶ replay 8\.\d\d s \/ 15\.04 s ×2/);
    expect(await until(app, 'results', 10_000)).toBeLessThanOrEqual((recording.durationMs - 8000) / 2 + 200);
  });

  it('replays a Claude session (host and Docker, the mock API) whose recording holds no token', async () => {
    const text = readFileSync(new URL(`../fixtures/recordings/${CLAUDE}`, import.meta.url), 'utf8');
    expect(text).not.toContain(CLAUDE_TOKEN);
    expect(text).not.toContain(CLAUDE_TOKEN.slice(10, 40));
    // The token was there to leak (the prompt and the command line carried it): it shows masked.
    expect(text).toContain('sk-a…cdef');
    const recording = fixtureRecording(CLAUDE);
    const app = await renderReplay(recording);
    await until(app, 'results', 10_000);
    // Every frame it drew on the way: Claude's events as readable lines, never raw JSON.
    const seen = stripVTControlCharacters(app.stdout.frames.join('\n'));
    expect(seen).toContain('→ Write notes.txt');
    expect(seen).toContain('✓ result: Done.');
    expect(seen).not.toMatch(/"type":"(system|assistant)"/);
    await app.advance(100);
    const frame = screen(app);
    for (const record of recording.results!.runs) expect(frame).toMatch(new RegExp(`${record.mode} +#1 +${record.status}`));
    expect(frame.replace(/\s+/g, ' ')).toContain(recording.results!.recommendation!.replace(/\s+/g, ' ').slice(0, 60));
    expect(frame).not.toContain(CLAUDE_TOKEN);
  });

  it('quits at once on q, wherever the replay is', async () => {
    const app = await renderReplay(fixtureRecording(PROBE));
    await until(app, 'run', 3000);
    await app.advance(1000);
    await app.press('q');
    await app.advance(100);
    expect(phase(app)).toBe('closed');
  });

  it('writes the same --json and --markdown files as the live session did', async () => {
    const recording = fixtureRecording(PROBE);
    const app = await renderReplay(recording, { speed: 20, targets: { json: 'r.json', markdown: 'R.md' } });
    await until(app, 'results', 10_000);
    await app.advance(100);
    const json = JSON.parse(app.files.get('r.json')!) as ResultsFile;
    expect(json).toEqual(recording.results);
    await app.press('e');
    expect(app.files.get('R.md')).toContain('## Recommendation');
    expect(app.files.get('R.md')).toContain(recording.results!.recommendation!);
  });

  it('draws the chart under the table at 160×45, and with the timeline on t at 80×24', async () => {
    const wide = await renderReplay(fixtureRecording(PROBE), { speed: 20 });
    await until(wide, 'results', 10_000);
    await wide.advance(100);
    const frame = screen(wide);
    expect(frame).toMatch(/host ◆ +startup +[█▓]+┤? +63 ms/);
    expect(frame).toMatch(/podman +startup +█+/);
    expect(frame).toMatch(/total +█+▓*─*┤ +6\.95 s/);
    expect(frame).toContain('min–max');

    const narrow = await renderReplay(fixtureRecording(PROBE), { speed: 20, columns: 80, rows: 24 });
    await until(narrow, 'results', 10_000);
    await narrow.advance(100);
    await narrow.press('t');
    const charts = screen(narrow);
    expect(charts).toContain('Median timings per mode');
    expect(charts).toMatch(/docker +total +█+/);
    expect(charts).toContain("Where each run's time went");
    expect(charts).toMatch(/docker #2 +░+·*▒+█+▚+▁+ +6\.45 s/);
    for (const line of charts.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    await narrow.press('t');
    expect(screen(narrow)).not.toContain("Where each run's time went");
  });

  it('replays a session recorded in the app, its rerun included, to the same results; s saves the recording', async () => {
    const live = await renderApp({ argv: ['--mode', 'docker,podman', '--workload', 'probe'], columns: 120, rows: 36 });
    await live.press(KEYS.enter);
    const first = live.engine.session;
    first.setStatus('docker', 'running', 'probe');
    first.setStatus('podman', 'running', 'probe');
    first.output('docker', ['docker says hi']);
    await live.advance(1000);
    first.finish('docker', 'failed');
    first.output('podman', ['podman says hi']);
    await live.advance(500);
    await live.press('1');
    await live.press('r');
    const again = live.engine.session;
    expect(again).not.toBe(first);
    again.setStatus('docker', 'running', 'probe');
    again.output('docker', ['docker again']);
    await live.advance(700);
    again.finish('docker', 'passed');
    await live.advance(300);
    first.finish('podman', 'passed');
    await live.advance(100);
    expect(live.controller.store.getState().phase).toBe('results');
    await live.press('s');
    const saved = [...live.engine.files.entries()].find(([name]) => /^cc-iso-.*\.ndjson$/.test(name));
    expect(saved).toBeDefined();
    const recording = parseRecording(saved![1]);
    expect(recording.launches).toHaveLength(2);
    expect(recording.launches[1]!.redoes).toEqual([first.run('docker').id]);
    expect(recording.results!.runs.map((run) => `${run.mode} ${run.status}`)).toEqual(['docker passed', 'podman passed']);

    const replayed = await renderReplay(recording, { targets: { json: 'r.json' }, columns: 120, rows: 36 });
    await until(replayed, 'run', 3000);
    await replayed.advance(1200);
    expect(screen(replayed)).toContain('docker says hi');
    await until(replayed, 'results', 10_000);
    await replayed.advance(100);
    expect(JSON.parse(replayed.files.get('r.json')!)).toEqual(recording.results);
    expect(screen(replayed)).toContain('2 of 2 runs passed');
  });
});
