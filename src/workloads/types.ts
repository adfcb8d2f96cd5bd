import type { OutputStream } from '../runtimes/types.js';

/** Moments inside one command that the timings are measured to (monotonic ms). */
export interface Marks {
  /** First sign of life inside: the probe's first line, Claude's system/init, a command's first output. */
  ready: number | null;
  /** First real output: the probe's first report, Claude's first assistant message. */
  firstOutput: number | null;
  /** The workload's answer: the probe's last line, Claude's result event. */
  result: number | null;
}

/** Reads a step's raw output, records marks and returns what a person should see for it. */
export interface LineInterpreter {
  readonly marks: Marks;
  take(stream: OutputStream, text: string, at: number): string[];
  /** Lines to show once the process has ended (e.g. a final line without a newline). */
  finish(): string[];
}

export function emptyMarks(): Marks {
  return { ready: null, firstOutput: null, result: null };
}
