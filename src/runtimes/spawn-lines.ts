import { execa } from 'execa';
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
 */
export function spawnLines(file: string, args: readonly string[], options: SpawnLinesOptions): Execution {
  const lineSink = (stream: OutputStream) =>
    function* (line: unknown): Generator<never> {
      options.onLine(stream, String(line));
    };
  const ownStop = options.stop;
  const subprocess = execa(file, args, {
    env: options.env,
    extendEnv: true,
    cwd: options.cwd,
    stdin: 'ignore',
    stdout: lineSink('stdout'),
    stderr: lineSink('stderr'),
    buffer: false,
    reject: false,
    // Its own process group: a ctrl-c in the terminal reaches cc-iso, which stops runs in order.
    detached: true,
    ...(ownStop
      ? {}
      : { cancelSignal: options.signal, forceKillAfterDelay: STOP_GRACE_MS, killDescendants: true }),
  });
  let onAbort: (() => void) | undefined;
  // Awaited before `done` resolves: cleanup that follows must not race a stop still in flight.
  let stopping: Promise<void> = Promise.resolve();
  if (ownStop) {
    onAbort = () => {
      stopping = ownStop()
        .catch(() => {})
        .finally(() => {
          // The client should end with its container; make sure it does.
          setTimeout(() => subprocess.kill('SIGKILL'), STOP_GRACE_MS).unref();
        });
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
  }
  const done: Promise<ExecOutcome> = subprocess.then(
    async (result) => {
      if (onAbort) options.signal.removeEventListener('abort', onAbort);
      await stopping;
      return {
        exitCode: result.exitCode ?? null,
        signal: result.signal ?? null,
        ...(result.failed && result.exitCode === undefined && !result.signal
          ? { spawnError: result.shortMessage }
          : {}),
      };
    },
    (error: unknown) => ({ exitCode: null, signal: null, spawnError: String(error) }),
  );
  return { done };
}
