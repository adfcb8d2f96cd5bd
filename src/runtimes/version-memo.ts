import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * The version a CLI printed, remembered per binary: a binary's version cannot change while its
 * path, inode, size and modification time stay the same. Saves `podman --version` (a Go start,
 * tens of ms of CPU) on every detection after the first.
 */
export interface VersionMemo {
  get(file: string): string | null;
  set(file: string, version: string): void;
}

type Stored = Record<string, { binary: string; version: string }>;

export function fileVersionMemo(env: NodeJS.ProcessEnv = process.env): VersionMemo {
  const store = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cc-iso', 'versions.json');
  const read = (): Stored => {
    try {
      const value = JSON.parse(readFileSync(store, 'utf8')) as unknown;
      return typeof value === 'object' && value !== null ? (value as Stored) : {};
    } catch {
      return {};
    }
  };
  return {
    get(file) {
      const binary = identity(file, env.PATH ?? '');
      const entry = binary ? read()[file] : undefined;
      return entry?.binary === binary && /^[\w.+~-]{1,40}$/.test(entry.version) ? entry.version : null;
    },
    set(file, version) {
      const binary = identity(file, env.PATH ?? '');
      if (!binary) return;
      try {
        mkdirSync(join(store, '..'), { recursive: true, mode: 0o700 });
        const temp = `${store}.${process.pid}`;
        writeFileSync(temp, JSON.stringify({ ...read(), [file]: { binary, version } }), { mode: 0o600 });
        renameSync(temp, store);
      } catch {
        // Only a memo: the next detection asks the binary again.
      }
    },
  };
}

/** `<path>:<inode>:<size>:<mtime>` of the first `file` on PATH; null when there is none. */
function identity(file: string, path: string): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      const info = statSync(join(dir, file));
      if (info.isFile()) return `${join(dir, file)}:${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}
