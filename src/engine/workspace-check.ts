import { statSync, type Stats } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MarkerSighting {
  visible: boolean;
  /** From the probe reporting the write to the host seeing the file; 0 when it was already there. */
  latencyMs: number | null;
  /** "uid:gid (name)" of the file as the host sees it. */
  owner: string | null;
}

const POLL_MS = 5;
const GIVE_UP_MS = 5000;

/**
 * Waits for a file written inside the isolation to appear on the host, then removes it. Called
 * when the probe reports the write: the first look is synchronous, so a bind mount (visible at
 * once) measures 0 rather than the event loop's delay; a synced folder is polled until it shows.
 */
export function watchForMarker(path: string, reportedAt: number, now: () => number): Promise<MarkerSighting> {
  const seen = (info: Stats, at: number) => found(path, info, Math.max(0, Math.round(at - reportedAt)));
  const first = statOrNull(path);
  if (first) return seen(first, reportedAt);
  return (async () => {
    const started = performance.now();
    while (performance.now() - started < GIVE_UP_MS) {
      await sleep(POLL_MS);
      const info = await stat(path).catch(() => null);
      if (info) return seen(info, now());
    }
    return { visible: false, latencyMs: null, owner: null };
  })();
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

async function found(path: string, info: Stats, latencyMs: number): Promise<MarkerSighting> {
  await rm(path, { force: true });
  return { visible: true, latencyMs, owner: `${info.uid}:${info.gid}${await nameSuffix(info.uid)}` };
}

async function nameSuffix(uid: number): Promise<string> {
  try {
    const passwd = await readFile('/etc/passwd', 'utf8');
    const entry = passwd.split('\n').find((line) => line.split(':')[2] === String(uid));
    return entry ? ` (${entry.split(':')[0]})` : '';
  } catch {
    return '';
  }
}
