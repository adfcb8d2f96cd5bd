import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../src/domain/line-buffer.js';

function filled(count: number, options?: ConstructorParameters<typeof LineBuffer>[0]): LineBuffer {
  const buffer = new LineBuffer(options);
  for (let i = 0; i < count; i++) buffer.push(`line ${i}`);
  return buffer;
}

describe('LineBuffer', () => {
  it('starts empty', () => {
    const buffer = new LineBuffer();
    expect([buffer.length, buffer.dropped, buffer.total]).toEqual([0, 0, 0]);
    expect(buffer.tail(10)).toEqual([]);
  });

  it('returns the newest lines, oldest first', () => {
    const buffer = filled(10);
    expect(buffer.tail(3)).toEqual(['line 7', 'line 8', 'line 9']);
    expect(buffer.tail(100)).toHaveLength(10);
  });

  it('keeps memory bounded over 100k lines', () => {
    const buffer = filled(100_000, { maxLines: 2000 });
    expect(buffer.length).toBeLessThanOrEqual(2000);
    expect(buffer.length).toBe(2000);
    expect(buffer.total).toBe(100_000);
    expect(buffer.dropped).toBe(100_000 - buffer.length);
    expect(buffer.tail(2)).toEqual(['line 99998', 'line 99999']);
    expect(buffer.tail(1, 1999)).toEqual(['line 98000']);
  });

  it('evicts the oldest lines to stay under the byte cap', () => {
    const buffer = new LineBuffer({ maxLines: 100, maxBytes: 10 });
    for (const line of ['aaaa', 'bbbb', 'cccc']) buffer.push(line);
    expect(buffer.tail(10)).toEqual(['bbbb', 'cccc']);
    expect([buffer.length, buffer.dropped, buffer.total]).toEqual([2, 1, 3]);
  });

  it('counts bytes as UTF-8', () => {
    const buffer = new LineBuffer({ maxBytes: 8 });
    buffer.push('é'); // 2 bytes
    buffer.push('✔✔'); // 6 bytes: both fit exactly
    expect(buffer.length).toBe(2);
    buffer.push('x');
    expect(buffer.tail(10)).toEqual(['✔✔', 'x']);
  });

  it('keeps the newest line even when it alone exceeds the byte cap', () => {
    const buffer = new LineBuffer({ maxBytes: 10 });
    buffer.push('short');
    buffer.push('a line longer than ten bytes');
    expect(buffer.tail(10)).toEqual(['a line longer than ten bytes']);
    buffer.push('next');
    expect(buffer.tail(10)).toEqual(['next']);
    expect(buffer.dropped).toBe(2);
  });

  it('keeps only its newest lines within tighter bounds on request, still counting the rest', () => {
    const buffer = filled(25, { maxLines: 10 });
    buffer.keepNewest({ maxLines: 3, maxBytes: 1000 });
    expect(buffer.tail(10)).toEqual(['line 22', 'line 23', 'line 24']);
    expect([buffer.length, buffer.dropped, buffer.total]).toEqual([3, 22, 25]);
    buffer.keepNewest({ maxLines: 3, maxBytes: 14 });
    expect(buffer.tail(10)).toEqual(['line 23', 'line 24']);
    buffer.keepNewest({ maxLines: 3, maxBytes: 1 });
    expect(buffer.tail(10)).toEqual(['line 24']);
    buffer.push('next');
    expect(buffer.tail(10)).toEqual(['line 24', 'next']);
  });

  it('scrolls back with an offset from the end', () => {
    const buffer = filled(10);
    expect(buffer.tail(3, 0)).toEqual(['line 7', 'line 8', 'line 9']);
    expect(buffer.tail(3, 2)).toEqual(['line 5', 'line 6', 'line 7']);
    expect(buffer.tail(3, 7)).toEqual(['line 0', 'line 1', 'line 2']);
  });

  it('returns fewer lines near the start and none past it', () => {
    const buffer = filled(10);
    expect(buffer.tail(3, 8)).toEqual(['line 0', 'line 1']);
    expect(buffer.tail(3, 10)).toEqual([]);
    expect(buffer.tail(3, 50)).toEqual([]);
  });

  it('scrolls correctly after the ring has wrapped', () => {
    const buffer = filled(25, { maxLines: 10 });
    expect(buffer.tail(10)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${15 + i}`));
    expect(buffer.tail(2, 8)).toEqual(['line 15', 'line 16']);
  });

  it('treats a negative count or offset as 0', () => {
    const buffer = filled(5);
    expect(buffer.tail(-1)).toEqual([]);
    expect(buffer.tail(1, -3)).toEqual(['line 4']);
  });

  it('rejects caps that could not hold a line', () => {
    expect(() => new LineBuffer({ maxLines: 0 })).toThrow(RangeError);
    expect(() => new LineBuffer({ maxLines: 1.5 })).toThrow(RangeError);
    expect(() => new LineBuffer({ maxBytes: 0 })).toThrow(RangeError);
  });
});
