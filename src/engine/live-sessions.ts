import { constants, closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  hostTag, isSessionId, newSessionId, processStart, sessionOfName, thisProcess, type Owner,
} from '../runtimes/ownership.js';

/**
 * Sessions that are running now, one file each in a folder only this user can enter, so that
 * `cc-iso clean` keeps what a session still at work in another terminal owns. The containers and
 * sandboxes themselves say who owns them (runtimes/ownership.ts); the registry answers for names
 * made before they did, and lets `clean` forget the sessions that were killed outright.
 */

export interface RegistryOptions {
  dir?: string | null;
  newId?: () => string;
}

/** A new session's id, marked live until `unregister` is called. */
export function registerLiveSession(options: RegistryOptions = {}): { id: string; unregister: () => void } {
  const newId = options.newId ?? newSessionId;
  const dir = options.dir === undefined ? registryDir() : options.dir;
  const entry = JSON.stringify(thisProcess() satisfies Owner);
  // A taken name (a planted file or link, or a collision of 64 random bits) is never opened: next id.
  for (let attempt = 0; dir && attempt < 8; attempt++) {
    const id = newId();
    const file = join(dir, id);
    if (writeExclusive(file, entry)) return { id, unregister: () => rmSync(file, { force: true }) };
  }
  // Without the registry the owner labels still protect this session's containers.
  return { id: newId(), unregister: () => {} };
}

/** True when the container or sandbox belongs to a session that is still running. */
export function belongsToLiveSession(name: string, owner: Owner | null = null): boolean {
  if (owner) return ownerAlive(owner);
  const sessionId = sessionOfName(name);
  return sessionId !== null && registeredLive(sessionId);
}

/** Forgets the sessions that were killed before they could unregister. */
export function forgetDeadSessions(dir: string | null = registryDir()): void {
  if (!dir) return;
  let ids: string[] = [];
  try {
    ids = readdirSync(dir);
  } catch {
    return;
  }
  for (const id of ids) if (isSessionId(id) && !registeredLive(id, dir)) rmSync(join(dir, id), { force: true });
}

/**
 * Alive on this host and the same process (its start time matches, so a reused pid does not
 * count). A process on another host sharing the engine cannot be checked: it counts as alive.
 */
export function ownerAlive(owner: Owner): boolean {
  if (owner.host !== hostTag()) return true;
  // 0 or less would ask about a process group, not a process.
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  if (!processAlive(owner.pid)) return false;
  if (owner.start === '0') return true;
  const start = processStart(owner.pid);
  return start === null || start === owner.start;
}

function registeredLive(sessionId: string, dir: string | null = registryDir()): boolean {
  if (!dir || !isSessionId(sessionId)) return false;
  const text = readNoFollow(join(dir, sessionId));
  if (text === null) return false;
  try {
    const entry = JSON.parse(text) as Partial<Owner>;
    if (typeof entry.host !== 'string' || typeof entry.pid !== 'number' || typeof entry.start !== 'string') return false;
    return ownerAlive({ host: entry.host, pid: entry.pid, start: entry.start });
  } catch {
    return false;
  }
}

/**
 * This user's registry folder: `$XDG_RUNTIME_DIR/cc-iso`, else `<temp>/cc-iso-<uid>`. Created
 * 0700; an existing one must be a real folder of this user that no one else can enter. A link or
 * file planted in its place is removed where we may (never followed); a folder someone else owns
 * is refused. Null when there is no safe folder.
 */
export function registryDir(env: NodeJS.ProcessEnv = process.env, temp = tmpdir()): string | null {
  const uid = process.getuid?.();
  const runtimeDir = env.XDG_RUNTIME_DIR;
  if (runtimeDir && uid !== undefined && isPrivateDir(runtimeDir, uid, true)) {
    const dir = join(runtimeDir, 'cc-iso');
    if (ensurePrivateDir(dir, uid)) return dir;
  }
  // Windows: the temp folder is the user's own.
  if (uid === undefined) return join(temp, 'cc-iso-live');
  const dir = join(temp, `cc-iso-${uid}`);
  return ensurePrivateDir(dir, uid) ? dir : null;
}

function ensurePrivateDir(dir: string, uid: number): boolean {
  try {
    mkdirSync(dir, { mode: 0o700 });
    return isPrivateDir(dir, uid);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  if (isPrivateDir(dir, uid)) return true;
  const info = lstatSync(dir, { throwIfNoEntry: false });
  if (!info || info.isDirectory()) return false;
  try {
    // unlink removes a link itself, never what it points to.
    unlinkSync(dir);
    mkdirSync(dir, { mode: 0o700 });
    return isPrivateDir(dir, uid);
  } catch {
    return false;
  }
}

/** A real folder (not a link) owned by uid that group and others cannot write (or, unless `shared`, enter). */
function isPrivateDir(dir: string, uid: number, shared = false): boolean {
  const info = lstatSync(dir, { throwIfNoEntry: false });
  if (!info?.isDirectory() || info.uid !== uid) return false;
  return (info.mode & (shared ? 0o022 : 0o077)) === 0;
}

/** Creates the file; false when the name is taken (by anything, a link included). */
function writeExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch {
    return false;
  }
  try {
    writeSync(fd, text);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

function readNoFollow(file: string): string | null {
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
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
