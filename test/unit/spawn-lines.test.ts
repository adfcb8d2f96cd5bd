import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINE_CUT_MARK, LineSplitter, MAX_LINE_BYTES, spawnLines } from '../../src/runtimes/spawn-lines.js';

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
    let grandchild = 0;
    // The shell starts `sleep` in the background (not holding the output open) and says its pid:
    // ending only the shell would orphan it.
    const { done } = spawnLines('sh', ['-c', 'sleep 60 >/dev/null 2>&1 & echo $!; wait'], {
      onLine: (_stream, text) => {
        grandchild = Number(text);
        abort.abort();
      },
      signal: abort.signal,
    });
    expect((await done).signal).toBe('SIGTERM');
    expect(grandchild).toBeGreaterThan(0);
    expect(await gone(grandchild), `the background sleep (pid ${grandchild}) outlived the abort`).toBe(true);
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

/** Whether a process has ended within a second (a killed one may take a moment to die). */
async function gone(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 1000; waited += 50) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(pid, 'SIGKILL');
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  // A dead orphan stays a zombie until its new parent reaps it, which some init processes do late.
  const stat = readStat(pid);
  return stat === null || !/^\d+ \(.*\) Z /.test(stat);
}

function readStat(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}

describe('a line without end', () => {
  const split = (chunks: (string | Uint8Array)[]) => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    splitter.end();
    return lines;
  };

  it('splits at newlines across chunks, drops a CRLF\'s \r, keeps a last line without newline', () => {
    expect(split(['one\ntw', 'o\r\n\nthr', 'ee'])).toEqual(['one', 'two', '', 'three']);
    // A character split between two chunks comes out whole.
    const euro = Buffer.from('€\n');
    expect(split([euro.subarray(0, 1), euro.subarray(1)])).toEqual(['€']);
  });

  it('cuts a line at MAX_LINE_BYTES with a mark and drops the rest of it, up to the next newline', () => {
    const lines = split(['x'.repeat(MAX_LINE_BYTES - 10), 'y'.repeat(100), 'z'.repeat(MAX_LINE_BYTES), '\nnext\n']);
    expect(lines).toEqual([`${'x'.repeat(MAX_LINE_BYTES - 10)}${'y'.repeat(10)}${LINE_CUT_MARK}`, 'next']);
    expect(split(['a'.repeat(MAX_LINE_BYTES), '\n'])).toEqual(['a'.repeat(MAX_LINE_BYTES)]);
  });

  it('never cuts inside a UTF-8 character', () => {
    const [line] = split([`${'a'.repeat(MAX_LINE_BYTES - 1)}€€€`]);
    expect(line).toBe(`${'a'.repeat(MAX_LINE_BYTES - 1)}${LINE_CUT_MARK}`);
  });

  it('keeps memory bounded while a child prints 128 MB without a newline', async () => {
    const lines: string[] = [];
    const child = `const chunk = Buffer.alloc(1 << 20, 120);
      let left = 128;
      const write = () => { while (left > 0) { left--; if (!process.stdout.write(chunk)) return process.stdout.once('drain', write); }
        process.stdout.write('\\nafter\\n'); };
      write();`;
    globalThis.gc?.();
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = used();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, used())), 5);
    const { done } = spawnLines(process.execPath, ['-e', child], {
      onLine: (_stream, text) => lines.push(text),
      signal: new AbortController().signal,
    });
    expect((await done).exitCode).toBe(0);
    clearInterval(sampler);
    expect(lines.map((line) => line.length)).toEqual([MAX_LINE_BYTES + LINE_CUT_MARK.length, 'after'.length]);
    expect(lines[1]).toBe('after');
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);
});
