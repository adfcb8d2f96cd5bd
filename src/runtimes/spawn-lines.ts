import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
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
 * Spawns a process (argument array, never a shell) and reports its output line by line.
 * Output is not buffered: a run that prints millions of lines costs no memory here.
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

/** Calls onLine for each line (without its \n or \r\n), and for a last line without a newline. */
function readLines(stream: Readable, onLine: (text: string) => void): void {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const emit = (text: string) => onLine(text.endsWith('\r') ? text.slice(0, -1) : text);
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) emit(line);
  });
  stream.on('end', () => {
    rest += decoder.end();
    if (rest) emit(rest);
  });
}
