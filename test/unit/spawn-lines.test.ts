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

  it('cuts a line at 64 KiB with a mark and drops the rest of it, up to the next newline', () => {
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
