import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { parseRecording } from '../../src/recording/record-file.js';
import { BASE_IMAGE, engineAvailable, labelledContainers, programAvailable } from '../helpers/engines.js';
import { screen, startCli, tmux, useTmuxSessions, waitFor } from '../helpers/tmux.js';

// tmux is how a person's terminal is driven here.
const ready =
  programAvailable('tmux', 'tmux end-to-end') &&
  (await engineAvailable('docker', 'tmux end-to-end')) &&
  (await engineAvailable('podman', 'tmux end-to-end'));
useTmuxSessions();


async function waitForExit(name: string, ms = 30_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const dead = String((await tmux('list-panes', '-t', name, '-F', '#{pane_dead}')).stdout).trim();
    if (dead === '1') return;
    await sleep(150);
  }
  throw new Error(`the app did not exit; the screen was:\n${await screen(name)}`);
}

/** Where the app keeps its recordings in these tests. */
const dataDir = mkdtempSync(join(tmpdir(), 'cc-iso-e2e-data-'));

/** Starts the built app in a real terminal of the given size, as a person would. */
function startApp(columns: number, rows: number): Promise<string> {
  rmSync(join(dataDir, 'recordings'), { recursive: true, force: true });
  const args = ['--mode', 'docker,podman', '--workload', 'probe', '--base-image', BASE_IMAGE];
  return startCli(`cc-iso-e2e-${columns}x${rows}-${process.pid}`, { columns, rows }, args, dataDir);
}

describe.each([
  [160, 45],
  [80, 24],
])('the interactive app in a %i×%i terminal', (columns, rows) => {
  it.skipIf(!ready)('detects the engines, runs a probe in two panes with moving timers and ends in the results table', async () => {
    const name = await startApp(columns, rows);
    const chosen = await waitFor(name, (t) => t.includes('enter start'), 'the choose screen');
    expect(chosen).toMatch(/docker\s+✓ Docker Engine/);
    expect(chosen).toMatch(/podman\s+✓ Podman/);
    expect(chosen).toMatch(/sandbox\s+✗/);
    expect(chosen.split('\n').length).toBeLessThanOrEqual(rows);
    // The row the splash drew before Ink loaded is gone, not under or beside Ink's title.
    expect(chosen.split('\n')[0]).toMatch(/^cc-iso choose what to run\s*$/);

    await tmux('send-keys', '-t', name, 'Enter');
    const first = await waitFor(name, (t) => /docker #1 .*running.* \d+\.\d+ s/.test(t) && /podman #1 .*running.* \d+\.\d+ s/.test(t), 'two running panes');
    // A timer that moves: the same pane, still running, shows a later elapsed time.
    const runningTimer = (text: string, mode: string) => new RegExp(`${mode} #1 .*?running.*? (\\d+\\.\\d+) s`).exec(text)?.[1];
    const moved = (text: string) =>
      ['docker', 'podman'].some((mode) => {
        const [before, now] = [runningTimer(first, mode), runningTimer(text, mode)];
        return before !== undefined && now !== undefined && Number(now) > Number(before);
      });
    await waitFor(name, moved, 'a running pane whose timer moved', 10_000);
    for (const line of first.split('\n')) expect([...line].length).toBeLessThanOrEqual(columns);
    // The title stays on the first row (no frame taller than the terminal); panes side by side when wide, stacked when narrow.
    const lines = first.split('\n');
    expect(lines[0]).toMatch(/^cc-iso /);
    const [dockerRow, podmanRow] = ['1 docker', '2 podman'].map((header) => lines.findIndex((line) => line.includes(header)));
    if (columns >= 160) expect(podmanRow).toBe(dockerRow);
    else expect(podmanRow).toBeGreaterThan(dockerRow!);

    const results = await waitFor(
      name,
      (t) => /cc-iso results/.test(t) && /docker\s+#1\s+passed/.test(t) && /podman\s+#1\s+passed/.test(t),
      'the results screen with both runs passed',
      120_000,
    );
    expect(results).toMatch(/Use (docker|podman)/);

    await tmux('send-keys', '-t', name, 'q');
    await waitForExit(name);
    // The table stays in the normal screen (and its scrollback) after the alternate screen is left.
    const after = String((await tmux('capture-pane', '-p', '-S', '-', '-t', name)).stdout);
    expect(after).toMatch(/docker\s+#1\s+passed/);
    expect(after).toMatch(/podman\s+#1\s+passed/);
    expect(await labelledContainers('docker')).toEqual([]);
    expect(await labelledContainers('podman')).toEqual([]);
    // The session was recorded in the data folder, with its results, ready for `cc-iso replay`.
    const kept = readdirSync(join(dataDir, 'recordings'));
    expect(kept).toHaveLength(1);
    const recording = parseRecording(readFileSync(join(dataDir, 'recordings', kept[0]!), 'utf8'));
    expect(recording.header.terminal).toEqual({ columns, rows });
    expect(recording.results?.runs.map((run) => `${run.mode} ${run.status}`)).toEqual(['docker passed', 'podman passed']);
  });
});
