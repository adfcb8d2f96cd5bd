import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/domain/results.js';
import { renderApp, setUpAppTests, type AppHarness } from './helpers/app.js';
import { KEYS } from './helpers/terminal.js';

setUpAppTests();

const EXPORTS = ['--mode', 'docker,podman', '--workload', 'probe', '--json', 'out/r.json', '--markdown', 'out/r.md'];

/** The app with --json / --markdown, its two runs started. */
async function running(): Promise<AppHarness> {
  const app = await renderApp({ argv: EXPORTS });
  await app.press(KEYS.enter);
  return app;
}

function json(harness: AppHarness): ResultsFile {
  const text = harness.engine.files.get('out/r.json');
  expect(text).toBeDefined();
  return JSON.parse(text!) as ResultsFile;
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const runsOf = (file: ResultsFile) => file.runs.map((run) => `${run.mode} ${run.status}`);

describe('--json and --markdown in the app', () => {
  it('rewrites both files after every finished run and once more at the end', async () => {
    const harness = await running();
    // Written before any run starts, as `cc-iso run` does, so a bad path shows at once.
    expect(json(harness).runs).toEqual([]);
    harness.engine.session.finish('docker', 'passed');
    await harness.advance(0);
    expect(runsOf(json(harness))).toEqual(['docker passed']);
    expect(json(harness).finishedAt).toBeNull();
    expect(harness.engine.files.get('out/r.md')).toMatch(/\| docker \| #1 \| passed \|/);
    expect(harness.engine.files.get('out/r.md')).toContain('partial results');
    harness.engine.session.finish('podman', 'failed');
    await harness.advance(60);
    expect(harness.lastFrame()).toContain('results · 1 of 2 runs passed');
    expect(runsOf(json(harness))).toEqual(['docker passed', 'podman failed']);
    expect(json(harness).finishedAt).toMatch(ISO_TIME);
    expect(harness.engine.files.get('out/r.md')).toMatch(/\| podman \| #1 \| failed \|/);
    expect(harness.engine.files.get('out/r.md')).not.toContain('partial results');
    // Only the given paths: nothing lands in the working folder.
    expect([...harness.engine.files.keys()].sort()).toEqual(['out/r.json', 'out/r.md']);
  });

  it('keeps the runs finished so far when the session is quit mid-run', async () => {
    const harness = await running();
    harness.engine.session.ignoresStop = true;
    harness.engine.session.finish('docker', 'passed');
    await harness.advance(0);
    await harness.press('q');
    // podman ignores the stop and is still alive: the file already holds what docker measured.
    expect(runsOf(json(harness))).toEqual(['docker passed']);
    await harness.press('q');
    await expect(harness.controller.closed).resolves.toBe(1);
    expect(runsOf(json(harness))).toEqual(['docker passed', 'podman cancelled']);
    expect(json(harness).finishedAt).toMatch(ISO_TIME);
  });

  it('writes e and j to the given paths instead of the working folder', async () => {
    const harness = await running();
    harness.engine.session.finish('docker', 'passed');
    harness.engine.session.finish('podman', 'passed');
    await harness.advance(60);
    harness.engine.files.clear();
    await harness.press('e');
    expect(harness.lastFrame()).toContain('wrote /work/out/r.md');
    expect([...harness.engine.files.keys()]).toEqual(['out/r.md']);
    await harness.press('j');
    expect(harness.lastFrame()).toContain('wrote /work/out/r.json');
    expect(runsOf(json(harness))).toEqual(['docker passed', 'podman passed']);
    expect(harness.engine.files.has('results.json')).toBe(false);
  });

  it('does not start when a file cannot be written, and says why', async () => {
    const app = await renderApp({ argv: EXPORTS });
    app.engine.writeError = new Error("EACCES: permission denied, open 'out/r.json'");
    await app.press(KEYS.enter);
    expect(app.engine.sessions).toHaveLength(0);
    expect(app.lastFrame()).toContain('choose what to run');
    expect(app.lastFrame()).toContain('cannot start: cannot write the results: EACCES: permission denied');
  });
});
