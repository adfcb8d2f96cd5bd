import { Buffer } from 'node:buffer';

/**
 * A run's output: a ring of the most recent lines, bounded both in lines and in bytes, so a run
 * that floods its output cannot grow memory. Push is O(1) (amortised when the byte cap evicts
 * several lines). Pure: no I/O, no timers.
 */

export interface LineBufferOptions {
  maxLines?: number;
  /** UTF-8 bytes of line text kept at once. The newest line is always kept, even if larger. */
  maxBytes?: number;
}

export class LineBuffer {
  readonly #maxLines: number;
  readonly #maxBytes: number;
  /** Fixed-size slots; `#start` is the oldest line, and the ring wraps around. */
  readonly #lines: (string | undefined)[];
  readonly #sizes: Float64Array;
  #start = 0;
  #length = 0;
  #bytes = 0;
  #dropped = 0;

  constructor({ maxLines = 2000, maxBytes = 1_000_000 }: LineBufferOptions = {}) {
    if (!Number.isInteger(maxLines) || maxLines < 1) throw new RangeError(`maxLines must be a whole number ≥ 1, got ${maxLines}`);
    if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be > 0, got ${maxBytes}`);
    this.#maxLines = maxLines;
    this.#maxBytes = maxBytes;
    this.#lines = new Array<string | undefined>(maxLines);
    this.#sizes = new Float64Array(maxLines);
  }

  /** Lines held now. */
  get length(): number {
    return this.#length;
  }

  /** Lines evicted by either cap. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Lines ever pushed: `length + dropped`. */
  get total(): number {
    return this.#length + this.#dropped;
  }

  push(line: string): void {
    const size = Buffer.byteLength(line, 'utf8');
    if (this.#length === this.#maxLines) this.#evictOldest();
    while (this.#length > 0 && this.#bytes + size > this.#maxBytes) this.#evictOldest();
    const slot = (this.#start + this.#length) % this.#maxLines;
    this.#lines[slot] = line;
    this.#sizes[slot] = size;
    this.#bytes += size;
    this.#length++;
  }

  /**
   * Up to `count` lines, oldest first, ending `offsetFromEnd` lines before the newest (0 = follow
   * the output; larger = scrolled back). Near the start it returns fewer lines, and none once the
   * offset passes the oldest line: the caller clamps its scroll offset with `length`.
   */
  tail(count: number, offsetFromEnd = 0): string[] {
    const end = this.#length - wholeAtLeastZero(offsetFromEnd);
    const begin = Math.max(0, end - wholeAtLeastZero(count));
    const lines: string[] = [];
    for (let i = begin; i < end; i++) lines.push(this.#lines[(this.#start + i) % this.#maxLines]!);
    return lines;
  }

  /** Lets go of the oldest lines until these tighter bounds hold (they count as dropped); the newest line stays. */
  keepNewest({ maxLines, maxBytes }: Required<LineBufferOptions>): void {
    while (this.#length > 1 && (this.#length > maxLines || this.#bytes > maxBytes)) this.#evictOldest();
  }

  #evictOldest(): void {
    this.#bytes -= this.#sizes[this.#start]!;
    this.#lines[this.#start] = undefined; // let the string be collected now
    this.#start = (this.#start + 1) % this.#maxLines;
    this.#length--;
    this.#dropped++;
  }
}

function wholeAtLeastZero(n: number): number {
  return Math.max(0, Math.floor(n));
}
