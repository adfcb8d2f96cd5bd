import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The absolute path of a program on PATH (as a shell would find it), or null. Synchronous on
 * purpose: a few access() calls take microseconds, while one awaited call per folder waits a
 * turn of a busy event loop each (tens of ms during detection).
 */
export function which(program: string, path = process.env.PATH ?? ''): string | null {
  const names = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((ext) => program + ext) : [program];
  for (const folder of path.split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(folder, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not in this folder.
      }
    }
  }
  return null;
}

export function onPath(program: string, path = process.env.PATH ?? ''): boolean {
  return which(program, path) !== null;
}
