import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureImage, type ImagePlan } from '../../src/runtimes/image.js';

/** An engine CLI that has no image and whose build runs until it is killed; it notes its pid. */
async function hangingEngine(): Promise<{ engine: string; pidFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-iso-fake-engine-'));
  const pidFile = join(dir, 'build.pid');
  const engine = join(dir, 'engine');
  await writeFile(
    engine,
    `#!/bin/sh\ncase "$1" in\n  image) exit 1 ;;\n  build) echo $$ > '${pidFile}'; echo 'Step 1/13 : FROM base'; exec sleep 60 ;;\nesac\n`,
  );
  await chmod(engine, 0o755);
  return { engine, pidFile };
}

const plan = (tag: string): ImagePlan => ({
  tag,
  sources: { dockerfile: fileURLToPath(new URL('../../Dockerfile', import.meta.url)), certificates: null },
  inputs: { baseImage: 'base', claudeVersion: '0' },
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const buildFolders = async (root: string) => (await readdir(root)).filter((name) => name.startsWith('cc-iso-build-'));

describe('ctrl-c during an image build', () => {
  const previous = process.env.TMPDIR;
  afterEach(() => {
    process.env.TMPDIR = previous;
  });

  it('stops the build and removes its context once the last run waiting for it is stopped', async () => {
    const { engine, pidFile } = await hangingEngine();
    process.env.TMPDIR = await mkdtemp(join(tmpdir(), 'cc-iso-build-tmp-'));
    const first = new AbortController();
    const second = new AbortController();
    const lines: string[] = [];
    const waits = [
      ensureImage(engine, plan('t:1'), (line) => lines.push(line), first.signal).catch((error: Error) => error.message),
      ensureImage(engine, plan('t:1'), () => {}, second.signal).catch((error: Error) => error.message),
    ];
    await vi.waitFor(() => expect(lines).toContain('Step 1/13 : FROM base'), { timeout: 10_000 });
    const pid = Number(await readFile(pidFile, 'utf8'));
    first.abort();
    expect(await waits[0]).toBe('stopped while the image was being prepared');
    // Another run still waits: the build goes on.
    expect(alive(pid)).toBe(true);
    second.abort();
    expect(await waits[1]).toBe('stopped while the image was being prepared');
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await buildFolders(process.env.TMPDIR!)).toEqual([]), { timeout: 10_000 });
  });
});
