import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A JSON file in cc-iso's cache folder (XDG_CACHE_HOME/cc-iso) for answers that hold while the
 * files they came from stay the same. Only a memo: unreadable means empty, unwritable means the
 * next detection asks again.
 */
export function memoFile(env: NodeJS.ProcessEnv, name: string) {
  const file = join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cc-iso', name);
  return {
    read(): Record<string, unknown> {
      try {
        const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      } catch {
        return {};
      }
    },
    write(value: Record<string, unknown>): void {
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        const temp = `${file}.${process.pid}`;
        writeFileSync(temp, JSON.stringify(value), { mode: 0o600 });
        renameSync(temp, file);
      } catch {
        // Only a memo.
      }
    },
  };
}

/**
 * `<path>:<inode>:<size>:<mtime>`, which changes when the file is replaced, edited or touched;
 * `<path>:none` when nothing is there, so a file that appears changes it too.
 */
export function fileIdentity(path: string): string {
  const info = statSync(path, { throwIfNoEntry: false });
  return info ? `${path}:${info.ino}:${info.size}:${info.mtimeMs}` : `${path}:none`;
}
