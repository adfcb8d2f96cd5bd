import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Sessions that are running now, one file each, so `cc-iso clean` removes what crashed sessions
 * left and never the containers of a session still at work in another terminal. A session killed
 * outright leaves its file behind; its process is gone, so it no longer counts as live.
 */
const DIR = join(tmpdir(), 'cc-iso-live');

interface Entry {
  pid: number;
  host: string;
}

/** Every container and sandbox of a session is named `cc-iso-<session id>-…`. */
const SESSION_OF_NAME = /^cc-iso-([0-9a-f]{10})-/;

/** Marks the session live until the returned function is called. */
export function registerLiveSession(sessionId: string): () => void {
  const file = join(DIR, sessionId);
  try {
    mkdirSync(DIR, { recursive: true });
    // Shared by every user of the machine's engines, like /tmp itself.
    chmodSync(DIR, 0o1777);
  } catch {
    // Another user's folder: writing below may still work.
  }
  try {
    writeFileSync(file, JSON.stringify({ pid: process.pid, host: hostname() } satisfies Entry));
  } catch {
    // Without the registry, clean may remove this session's containers: worth a run anyway.
  }
  return () => rmSync(file, { force: true });
}

/** True when the container or sandbox belongs to a session whose process is still alive here. */
export function belongsToLiveSession(name: string): boolean {
  const sessionId = SESSION_OF_NAME.exec(name)?.[1];
  if (!sessionId) return false;
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(join(DIR, sessionId), 'utf8')) as Entry;
  } catch {
    return false;
  }
  // A session on another machine sharing the engine (a remote daemon) cannot be checked: keep it.
  if (entry.host !== hostname()) return true;
  return processAlive(entry.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
