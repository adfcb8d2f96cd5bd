import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnLines } from '../../src/runtimes/spawn-lines.js';

describe('spawnLines', () => {
  it('reports each line of stdout and stderr as it comes', async () => {
    const lines: string[] = [];
    const { done } = spawnLines('sh', ['-c', 'echo one; echo two >&2; printf three'], {
      onLine: (stream, text) => lines.push(`${stream}:${text}`),
      signal: new AbortController().signal,
    });
    expect(await done).toMatchObject({ exitCode: 0 });
    expect(lines.sort()).toEqual(['stderr:two', 'stdout:one', 'stdout:three']);
  });

  it('ends a process group on abort when no stop of its own is given', async () => {
    const abort = new AbortController();
    const { done } = spawnLines('sh', ['-c', 'echo ready; sleep 60'], {
      onLine: () => abort.abort(),
      signal: abort.signal,
    });
    expect((await done).exitCode).not.toBe(0);
  });

  // A container's client exits as soon as its container stops, often before `docker stop` (or
  // `sbx stop`) returns: the removal that follows `done` must not race that stop.
  it('resolves only after its own stop has finished', async () => {
    const flag = join(await mkdtemp(join(tmpdir(), 'cc-iso-spawn-')), 'stopped');
    const abort = new AbortController();
    const order: string[] = [];
    const { done } = spawnLines('sh', ['-c', 'echo ready; while [ ! -e "$0" ]; do sleep 0.05; done; echo exiting', flag], {
      onLine: (_stream, text) => {
        if (text === 'ready') abort.abort();
        if (text === 'exiting') order.push('process exited');
      },
      signal: abort.signal,
      // Like `docker stop`: the process ends at once, the command returns a little later.
      stop: async () => {
        await writeFile(flag, '');
        await new Promise((resolve) => setTimeout(resolve, 500));
        order.push('stop returned');
      },
    });
    await done;
    order.push('done');
    expect(order).toEqual(['process exited', 'stop returned', 'done']);
  });
});
