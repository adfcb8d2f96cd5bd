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

/** Waits for a file written inside the isolation to appear on the host, then removes it. */
export async function watchForMarker(path: string, reportedAt: number, now: () => number): Promise<MarkerSighting> {
  for (;;) {
    try {
      const info = await stat(path);
      const latencyMs = Math.max(0, Math.round(now() - reportedAt));
      await rm(path, { force: true });
      return { visible: true, latencyMs, owner: `${info.uid}:${info.gid}${await nameSuffix(info.uid)}` };
    } catch {
      if (now() - reportedAt > GIVE_UP_MS) return { visible: false, latencyMs: null, owner: null };
      await sleep(POLL_MS);
    }
  }
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
