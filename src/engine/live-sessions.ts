import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** The time of day (readable in `docker ps`) and 4 random hex digits: 10 characters, as above. */
export function newSessionId(): string {
  return `${new Date().toISOString().slice(11, 19).replaceAll(':', '')}${randomBytes(2).toString('hex')}`;
}

/** A new session's id, marked live until `unregister` is called. */
export function registerLiveSession(id = newSessionId()): { id: string; unregister: () => void } {
  const file = join(DIR, id);
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
  return { id, unregister: () => rmSync(file, { force: true }) };
}

/** True when the container or sandbox belongs to a session whose process is still alive here. */
export function belongsToLiveSession(name: string): boolean {
  const sessionId = SESSION_OF_NAME.exec(name)?.[1];
  return sessionId !== undefined && isLive(sessionId);
}

/** Forgets the sessions that were killed before they could unregister. */
export function forgetDeadSessions(): void {
  let ids: string[] = [];
  try {
    ids = readdirSync(DIR);
  } catch {
    return;
  }
  for (const id of ids) if (!isLive(id)) rmSync(join(DIR, id), { force: true });
}

function isLive(sessionId: string): boolean {
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
