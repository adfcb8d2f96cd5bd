import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, afterEach } from 'vitest';
import { CLI } from './cli.js';

/** A tmux server of this test file's own (one worker per file): no other terminal test can end or reach its sessions. */
const SOCKET = `cc-iso-test-${process.pid}`;

/** tmux on this file's server, with an argument list. */
export const tmux = (...args: string[]) => execa('tmux', ['-L', SOCKET, ...args]);

/** What a person sees in the session's pane now. */
export const screen = async (name: string) => String((await tmux('capture-pane', '-p', '-t', name)).stdout);

/** Polls the screen until `test` holds; on timeout the error shows the last screen. */
export async function waitFor(name: string, test: (text: string) => boolean, what: string, ms = 60_000): Promise<string> {
  const started = Date.now();
  let text = '';
  while (Date.now() - started < ms) {
    text = await screen(name);
    if (test(text)) return text;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
}

/** The sessions this file started: killed after each test. */
const sessions: string[] = [];

/** For a file of tmux tests: its sessions are killed after each test, its server after the file. */
export function useTmuxSessions(): void {
  afterEach(async () => {
    for (const name of sessions.splice(0)) await execa('tmux', ['-L', SOCKET, 'kill-session', '-t', name], { reject: false });
  });
  afterAll(async () => {
    await execa('tmux', ['-L', SOCKET, 'kill-server'], { reject: false });
  });
}

/**
 * The built `cc-iso <args>` in a real terminal of this size, as a person starts it, with config
 * and data folders of its own (`dataDir` when the test reads it); the pane stays after it exits,
 * to read what it left on the normal screen. Returns the session's name.
 */
export async function startCli(
  name: string,
  size: { columns: number; rows: number },
  args: string[],
  dataDir = mkdtempSync(join(tmpdir(), 'cc-iso-e2e-data-')),
): Promise<string> {
  sessions.push(name);
  await tmux(
    'new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows),
    '-e', `PATH=${process.env.PATH}`,
    '-e', `CC_ISO_CONFIG_DIR=${mkdtempSync(join(tmpdir(), 'cc-iso-e2e-config-'))}`,
    '-e', `CC_ISO_DATA_DIR=${dataDir}`,
    '-e', 'CI=',
    process.execPath, CLI, ...args,
  );
  await tmux('set-option', '-t', name, 'remain-on-exit', 'on');
  // The server outlives the sessions each test kills, until the file's afterAll: a server exiting
  // because its last session went refused the next test's new-session ("server exited unexpectedly").
  await tmux('set-option', '-g', 'exit-empty', 'off');
  return name;
}
