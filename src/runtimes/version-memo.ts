import { statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { fileIdentity, memoFile } from './file-memo.js';

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
  const store = memoFile(env, 'versions.json');
  const read = () => store.read() as Stored;
  return {
    get(file) {
      const binary = identity(file, env.PATH ?? '');
      const entry = binary ? read()[file] : undefined;
      return entry?.binary === binary && /^[\w.+~-]{1,40}$/.test(entry.version) ? entry.version : null;
    },
    set(file, version) {
      const binary = identity(file, env.PATH ?? '');
      if (binary) store.write({ ...read(), [file]: { binary, version } });
    },
  };
}

/** The version the memo holds for `file`, else what `ask()` says (then remembered). */
export async function rememberedVersion(file: string, ask: () => Promise<string | null>, memo = fileVersionMemo()): Promise<string | null> {
  const known = memo.get(file);
  if (known) return known;
  const version = await ask();
  if (version) memo.set(file, version);
  return version;
}

/** The identity (file-memo.ts) of `file`, an absolute path or the first on PATH; null when there is none. */
function identity(file: string, path: string): string | null {
  const candidates = isAbsolute(file) ? [file] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, file));
  for (const candidate of candidates) {
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return fileIdentity(candidate);
  }
  return null;
}
