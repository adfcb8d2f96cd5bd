import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, afterEach } from 'vitest';

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

/** For a file of tmux tests: the sessions it names are killed after each test, its server after the file. */
export function useTmuxSessions(): string[] {
  const sessions: string[] = [];
  afterEach(async () => {
    for (const name of sessions.splice(0)) await execa('tmux', ['-L', SOCKET, 'kill-session', '-t', name], { reject: false });
  });
  afterAll(async () => {
    await execa('tmux', ['-L', SOCKET, 'kill-server'], { reject: false });
  });
  return sessions;
}
