import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ExecOutcome, Execution, OutputStream } from './types.js';
import { STOP_GRACE_MS } from './types.js';

export interface SpawnLinesOptions {
  env?: Record<string, string>;
  cwd?: string;
  onLine(stream: OutputStream, text: string): void;
  signal: AbortSignal;
  /**
   * How to stop on abort. Default: SIGTERM to the process group, SIGKILL after the grace period.
   * Container modes pass their own (`docker stop`), because killing the client leaves the container.
   */
  stop?: () => Promise<void>;
}

/**
 * The longest line reported whole, in bytes: a line without a newline must not hold memory
 * without end. Claude's stream-json puts a whole tool result (a file it read) on one line, so a
 * few MiB are legitimate and must reach the parser whole, or the run loses its events.
 */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
export const LINE_CUT_MARK = ' … [line cut at 4 MiB]';

/**
 * Spawns a process (argument array, never a shell) and reports its output line by line.
 * Output is not buffered: a run that prints millions of lines costs no memory here, and a line
 * longer than MAX_LINE_BYTES is cut (see LineSplitter).
 * Node's child_process rather than execa, whose loading alone costs more than cc-iso's budget
 * for everything it adds to a run.
 */
export function spawnLines(file: string, args: readonly string[], options: SpawnLinesOptions): Execution {
  const done = new Promise<ExecOutcome>((resolve) => {
    const child = spawn(file, args, {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a ctrl-c in the terminal reaches cc-iso, which stops runs in order.
      detached: true,
    });
    readLines(child.stdout, (text) => options.onLine('stdout', text));
    readLines(child.stderr, (text) => options.onLine('stderr', text));

    const timers: NodeJS.Timeout[] = [];
    // Awaited before `done` resolves: cleanup that follows must not race a stop still in flight.
    let stopping: Promise<void> = Promise.resolve();
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const onAbort = () => {
      const later = (signal: NodeJS.Signals) => timers.push(setTimeout(() => killGroup(signal), STOP_GRACE_MS));
      if (!options.stop) {
        killGroup('SIGTERM');
        later('SIGKILL');
        return;
      }
      // The client should end with its container; make sure it does.
      stopping = options.stop().catch(() => {}).finally(() => later('SIGKILL'));
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });

    let spawnError: string | undefined;
    child.on('error', (error) => {
      spawnError = error.message;
    });
    child.on('close', (code, signal) => {
      options.signal.removeEventListener('abort', onAbort);
      void stopping.then(() => {
        for (const timer of timers) clearTimeout(timer);
        // Never started (not installed, not executable): Node reports a negative errno as the code.
        resolve(spawnError !== undefined && child.pid === undefined
          ? { exitCode: null, signal: null, spawnError }
          : { exitCode: code, signal });
      });
    });
  });
  return { done };
}

/** Calls onLine for each line of a stream (see LineSplitter). */
function readLines(stream: Readable, onLine: (text: string) => void): void {
  const splitter = new LineSplitter(onLine);
  stream.on('data', (chunk: Buffer) => splitter.push(chunk));
  stream.on('end', () => splitter.end());
}

const decoder = new TextDecoder();

/**
 * Splits a byte stream into lines at \n (a trailing \r dropped). A line longer than
 * MAX_LINE_BYTES is reported up to there (never inside a UTF-8 character) with LINE_CUT_MARK, and
 * the rest of it, up to the next newline, is dropped: memory stays within one cap per stream, and
 * 600 MB without a newline become one marked row, not ten thousand rows nobody reads.
 */
export class LineSplitter {
  private parts: Uint8Array[] = [];
  private size = 0;
  private dropping = false;

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.dropping) this.add(chunk.subarray(start, end), newline !== -1);
      if (newline === -1) return;
      if (this.dropping) this.dropping = false;
      else this.flush();
      start = newline + 1;
    }
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    if (!this.dropping && this.size > 0) this.flush();
    this.parts = [];
    this.size = 0;
    this.dropping = false;
  }

  private add(piece: Uint8Array, lineEnds: boolean): void {
    if (this.size + piece.length <= MAX_LINE_BYTES) {
      // Kept past this chunk: a copy, so a small piece does not pin the whole chunk.
      this.parts.push(lineEnds ? piece : piece.slice());
      this.size += piece.length;
      return;
    }
    let cut = MAX_LINE_BYTES - this.size;
    while (cut > 0 && ((piece[cut] ?? 0) & 0xc0) === 0x80) cut--; // not inside a UTF-8 character
    this.parts.push(piece.subarray(0, cut));
    this.emit(this.take() + LINE_CUT_MARK);
    this.dropping = true;
  }

  private flush(): void {
    const line = this.take();
    this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  private take(): string {
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    return decoder.decode(bytes);
  }
}
