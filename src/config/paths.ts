import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (where `Dockerfile` and `assets/` live), from src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cc-iso: cannot find its package folder');
    dir = parent;
  }
  return dir;
}

/**
 * Where the app keeps what it makes for the user (the last sessions' recordings):
 * CC_ISO_DATA_DIR (tests point it at a scratch folder), else the platform's data folder.
 */
export function dataDir(): string {
  if (process.env.CC_ISO_DATA_DIR) return process.env.CC_ISO_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'cc-iso');
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'cc-iso');
}

export function recordingsDir(): string {
  return join(dataDir(), 'recordings');
}
