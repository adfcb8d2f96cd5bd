import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { belongsToLiveSession, forgetDeadSessions, ownerAlive, registerLiveSession, registryDir } from '../../src/engine/live-sessions.js';
import {
  containerName, isOwnContainer, isOwnSandbox, newSessionId, ownerOfSandbox, processStart, sandboxName, thisProcess,
} from '../../src/runtimes/ownership.js';

const uid = process.getuid!();
const scratch = () => mkdtempSync(join(tmpdir(), 'cc-iso-registry-test-'));

describe('session ids', () => {
  it('are 64 random bits: 16 hex characters, never the same twice', () => {
    const ids = Array.from({ length: 20_000 }, newSessionId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the live-session registry', () => {
  it('lives in a folder only this user can enter', () => {
    const temp = scratch();
    const dir = registryDir({}, temp)!;
    expect(dir).toBe(join(temp, `cc-iso-${uid}`));
    const info = lstatSync(dir);
    expect(info.isDirectory()).toBe(true);
    expect(info.uid).toBe(uid);
    expect(info.mode & 0o777).toBe(0o700);
  });

  it('prefers XDG_RUNTIME_DIR when it is this user\'s own', () => {
    const runtime = scratch();
    expect(registryDir({ XDG_RUNTIME_DIR: runtime }, scratch())).toBe(join(runtime, 'cc-iso'));
  });

  it('never follows a link planted in place of the folder', () => {
    const temp = scratch();
    const target = scratch();
    symlinkSync(target, join(temp, `cc-iso-${uid}`));
    const dir = registryDir({}, temp);
    const session = registerLiveSession({ dir });
    expect(readdirSync(target)).toEqual([]);
    // The link is replaced by a private folder of our own, or the registry is refused.
    if (dir) {
      expect(lstatSync(dir).isSymbolicLink()).toBe(false);
      expect(lstatSync(dir).mode & 0o777).toBe(0o700);
    }
    session.unregister();
  });

  it('refuses a folder others can enter', () => {
    const temp = scratch();
    mkdirSync(join(temp, `cc-iso-${uid}`), { mode: 0o777 });
    expect(registryDir({}, temp)).toBeNull();
  });

  it('never writes through a link planted in place of an entry: it takes another id', () => {
    const dir = registryDir({}, scratch())!;
    const victim = join(scratch(), 'victim');
    writeFileSync(victim, 'precious');
    const planted = 'aaaaaaaaaaaaaaaa';
    symlinkSync(victim, join(dir, planted));
    const ids = [planted, 'bbbbbbbbbbbbbbbb'];
    const session = registerLiveSession({ dir, newId: () => ids.shift()! });
    expect(session.id).toBe('bbbbbbbbbbbbbbbb');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(join(dir, session.id)).mode & 0o777).toBe(0o600);
    session.unregister();
  });

  it('says a registered session is live, and forgets one whose process is gone', async () => {
    const dir = registryDir({}, scratch())!;
    const live = registerLiveSession({ dir });
    // An entry of a process that has exited: written as that process would have.
    const dead = await exitedProcess();
    const deadId = newSessionId();
    writeFileSync(join(dir, deadId), JSON.stringify({ ...thisProcess(), pid: dead.pid, start: dead.start }), { mode: 0o600 });
    forgetDeadSessions(dir);
    expect(readdirSync(dir)).toEqual([live.id]);
    live.unregister();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('who owns a container or sandbox', () => {
  it('is alive only while the same process runs: a reused pid does not count', async () => {
    expect(ownerAlive(thisProcess())).toBe(true);
    expect(ownerAlive({ ...thisProcess(), start: 'zzzzzz' })).toBe(false);
    const dead = await exitedProcess();
    expect(ownerAlive({ ...thisProcess(), pid: dead.pid, start: dead.start })).toBe(false);
    expect(ownerAlive({ ...thisProcess(), pid: 0 })).toBe(false);
    // Another host sharing the engine cannot be checked from here: its containers are kept.
    expect(ownerAlive({ host: '00000000', pid: 1, start: '1' })).toBe(true);
  });

  it('is written into a sandbox name, which stays within the 63 characters sbx allows', () => {
    const name = sandboxName(`${newSessionId()}-sandbox-w1000`);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/);
    expect(ownerOfSandbox(name)).toEqual(thisProcess());
    expect(belongsToLiveSession(name, ownerOfSandbox(name))).toBe(true);
  });

  it('is cc-iso\'s only with the exact name pattern (and, for a container, the matching run label)', () => {
    const run = `${newSessionId()}-docker-1`;
    expect(isOwnContainer(containerName(run, 'probe'), run)).toBe(true);
    expect(isOwnContainer(containerName(run, 'probe'), undefined)).toBe(false);
    expect(isOwnContainer(containerName(run, 'probe'), `${newSessionId()}-docker-1`)).toBe(false);
    expect(isOwnContainer('cc-iso-my-own-notes', '1')).toBe(false);
    expect(isOwnSandbox('cc-iso-my-own-notes')).toBe(false);
    expect(isOwnSandbox(sandboxName(run))).toBe(true);
  });
});

/** The pid and start of a process that has already exited. */
async function exitedProcess(): Promise<{ pid: number; start: string }> {
  const child = spawn('sh', ['-c', 'sleep 0.2']);
  const pid = child.pid!;
  const start = processStart(pid)!;
  await new Promise((resolve) => child.on('close', resolve));
  return { pid, start };
}
