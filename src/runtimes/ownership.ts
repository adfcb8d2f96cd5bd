import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomHex } from '../domain/random.js';
import { rememberedDigest } from './digest-memo.js';

/**
 * What marks a container or sandbox as cc-iso's, and whose it is. `clean` removes only what
 * carries both marks (the run label and the exact name pattern; a sandbox has only its name), and
 * keeps what a live process owns, whatever that process's environment.
 */

/** Every container cc-iso starts carries these labels. The image carries none of them. */
export const LABEL = 'cc-iso';
export const RUN_LABEL = 'cc-iso.run';
/** Who started it: `<host tag>.<pid>.<process start>`, see `ownerToken`. */
export const OWNER_LABEL = 'cc-iso.owner';

const SESSION_ID = '[0-9a-f]{16}';
/**
 * A run id as the engine makes it: `<session id>-<mode>-<w?iteration>`, on another machine's
 * engine `<session id>-<mode>-<target slug>-<w?iteration>` (domain/targets.ts `targetSlug`).
 */
const RUN_ID = `${SESSION_ID}-[a-z][a-z0-9]*(?:-[a-zA-Z0-9_.-]+?)?-w?[0-9]+`;
const OWNER = '[0-9a-f]{8}\\.[0-9a-z]+\\.[0-9a-z]+';

/** A container: `cc-iso-<run id>-<step>`. */
const CONTAINER_NAME = new RegExp(`^cc-iso-(${RUN_ID})-[a-z]+$`);
/** A sandbox: `cc-iso-<run id>.<owner>` (a sandbox has no labels, so its name says who owns it). */
const SANDBOX_NAME = new RegExp(`^cc-iso-(${RUN_ID})(?:\\.(${OWNER}))?$`);

/** A new session id: 64 random bits, so no one can guess another session's names. */
export function newSessionId(): string {
  return randomHex(8);
}

export function isSessionId(value: string): boolean {
  return new RegExp(`^${SESSION_ID}$`).test(value);
}

/** The session id in a container or sandbox name cc-iso made; null for any other name. */
export function sessionOfName(name: string): string | null {
  const run = CONTAINER_NAME.exec(name)?.[1] ?? SANDBOX_NAME.exec(name)?.[1];
  return run ? run.slice(0, 16) : null;
}

export function containerName(runId: string, step: string): string {
  return `cc-iso-${runId}-${step}`;
}

/** True when a container is cc-iso's: its exact name pattern and a run label that matches it. */
export function isOwnContainer(name: string, runLabel: string | undefined): boolean {
  const run = CONTAINER_NAME.exec(name)?.[1];
  return run !== undefined && run === runLabel;
}

export function sandboxName(runId: string): string {
  return `cc-iso-${runId}.${ownerToken(thisProcess())}`;
}

/** True when a sandbox is cc-iso's: its exact name pattern. */
export function isOwnSandbox(name: string): boolean {
  return SANDBOX_NAME.test(name);
}

/** The owner a sandbox name records; null for one made before names carried it. */
export function ownerOfSandbox(name: string): Owner | null {
  const token = SANDBOX_NAME.exec(name)?.[2];
  return token ? parseOwner(token) : null;
}

/** The process that made a container or sandbox. */
export interface Owner {
  /** A short hash of the host name: enough to tell this host from another sharing the engine. */
  host: string;
  pid: number;
  /** The process's start (clock ticks since boot, base 36), so a reused pid is not mistaken for it; '0' where unknown. */
  start: string;
}

/** `<host tag>.<pid base 36>.<start>`: short enough for a sandbox name (at most 63 characters). */
export function ownerToken(owner: Owner): string {
  return `${owner.host}.${owner.pid.toString(36)}.${owner.start}`;
}

export function parseOwner(token: string | undefined): Owner | null {
  const match = token ? new RegExp(`^${OWNER}$`).exec(token) : null;
  if (!match) return null;
  const [host, pid, start] = token!.split('.') as [string, string, string];
  return { host, pid: parseInt(pid, 36), start };
}

let self: Owner | undefined;

export function thisProcess(): Owner {
  self ??= { host: hostTag(), pid: process.pid, start: processStart(process.pid) ?? '0' };
  return self;
}

/** The first 8 hex digits of SHA-256 over the host name (remembered: it is needed before every run). */
export function hostTag(): string {
  const name = hostname();
  return rememberedDigest(JSON.stringify(['host', name]), () => name).slice(0, 8);
}

/**
 * When a process started, from /proc (Linux): field 22 of /proc/<pid>/stat, in clock ticks since
 * boot. Null where there is no /proc or the process is gone.
 */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19];
    return ticks && /^\d+$/.test(ticks) ? BigInt(ticks).toString(36) : null;
  } catch {
    return null;
  }
}

/** The labels that mark a container as this run's, and this process's. */
export function ownerLabels(runId: string): string[] {
  return ['--label', `${LABEL}=1`, '--label', `${RUN_LABEL}=${runId}`, '--label', `${OWNER_LABEL}=${ownerToken(thisProcess())}`];
}
