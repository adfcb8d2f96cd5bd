import { spawn } from 'node:child_process';

/**
 * Short engine and CLI calls (a version, a listing, a removal). Node's own child_process, not
 * execa: loading execa costs more CPU than a whole `cc-iso detect` may take.
 */

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The binary could not be started (not installed). */
  missing: boolean;
}

export interface CallOptions {
  timeoutMs?: number;
  /** Its own process group, so a ctrl-c meant for cc-iso does not cut a cleanup call short. */
  detached?: boolean;
  /** Ends the call (SIGTERM) when aborted: a question nobody waits for any more. */
  signal?: AbortSignal;
}

/** Time between SIGTERM at the timeout and SIGKILL. */
const KILL_AFTER_MS = 1000;

/**
 * One call: argument array (never a shell), stdin closed (an unexpected prompt fails instead of
 * waiting), a timeout after which it is terminated, then killed.
 */
export function callProcess(file: string, args: readonly string[], options: CallOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
          }, options.timeoutMs);
    const abort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', abort, { once: true });
    if (options.signal?.aborted) abort();
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const finish = (exitCode: number | null, missing: boolean, message = '') => {
      options.signal?.removeEventListener('abort', abort);
      clearTimeout(timer);
      clearTimeout(killer);
      resolve({
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') || message,
        timedOut,
        missing,
      });
    };
    child.on('error', (error: NodeJS.ErrnoException) => finish(null, error.code === 'ENOENT' || error.code === 'EACCES', error.message));
    child.on('close', (code) => finish(code, false));
  });
}

/** `callProcess` with a timeout, as detection uses it. */
export function callCli(file: string, args: readonly string[], timeoutMs: number): Promise<CliResult> {
  return callProcess(file, args, { timeoutMs });
}

export type CliCall = typeof callCli;

export function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
