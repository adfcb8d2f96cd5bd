import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRecording } from '../../src/recording/record-file.js';
import { programAvailable } from '../helpers/engines.js';
import { screen, startCli, tmux, useTmuxSessions, waitFor } from '../helpers/tmux.js';

const ready = programAvailable('tmux', 'tmux replay', 'Debian: package tmux');
const FIXTURE = fileURLToPath(new URL('../fixtures/recordings/probe-host-docker-podman.ndjson', import.meta.url));
const recording = parseRecording(readFileSync(FIXTURE, 'utf8'));
useTmuxSessions();

/** `cc-iso replay <fixture> …` in a real terminal of the given size; no engine is asked anything. */
function startReplay(columns: number, rows: number, args: string[] = []): Promise<string> {
  return startCli(`cc-iso-replay-${columns}x${rows}-${process.pid}`, { columns, rows }, ['replay', FIXTURE, ...args]);
}

const results = (text: string) => text.includes('results · 6 of 6 runs passed');

describe.each([
  [160, 45],
  [80, 24],
])('a recorded probe session replayed in a %i×%i terminal', (columns, rows) => {
  it.skipIf(!ready)('plays with moving timers and ends in the recorded table, chart and recommendation', async () => {
    const name = await startReplay(columns, rows);
    const timer = (text: string) => /docker #1\/2 .*?running.*? (\d+\.\d+) s/.exec(text)?.[1];
    const first = await waitFor(name, (t) => timer(t) !== undefined, 'the docker pane running');
    expect(first).toMatch(/▶ replay/);
    expect(first.split('\n').length).toBeLessThanOrEqual(rows);
    await sleep(700);
    const later = await screen(name);
    const [a, b] = [timer(first), timer(later)].map(Number);
    if (timer(later) !== undefined) expect(b).toBeGreaterThan(a!);
    const done = await waitFor(name, results, 'the results');
    expect(done.split('\n').length).toBeLessThanOrEqual(rows);
    // Every run where the table has the room; a short terminal shows the first rows and counts the rest.
    const shown = columns >= 160 ? recording.results!.runs : recording.results!.runs.slice(0, 2);
    for (const record of shown) expect(done).toMatch(new RegExp(`${record.mode} +#${record.iteration} +passed`));
    expect(done.replace(/\s+/g, ' ')).toContain('Use docker: the strongest isolation');
    if (columns >= 160) expect(done).toMatch(/host ◆ +startup/);
    else {
      await tmux('send-keys', '-t', name, 't');
      const charts = await waitFor(name, (t) => t.includes("Where each run's time went"), 'the timeline');
      expect(charts).toMatch(/docker +total +█+/);
      expect(charts).toMatch(/podman #2 +░/);
      expect(charts.split('\n').every((line) => [...line].length <= columns)).toBe(true);
    }
    await tmux('send-keys', '-t', name, 'q');
  });
});

describe('replay speed', () => {
  it.skipIf(!ready)('--speed 10 reaches the results in a fraction of the recorded time', async () => {
    const started = Date.now();
    const name = await startReplay(120, 36, ['--speed', '10']);
    await waitFor(name, results, 'the results');
    const took = Date.now() - started;
    // Detection at most 1.5 s, the 15 s of runs in 1.5 s, and the start of the app.
    expect(took).toBeLessThan(recording.durationMs / 2);
    expect(await screen(name)).toMatch(/replay .* ×10/);
    await tmux('send-keys', '-t', name, 'q');
  });
});
