import type { ExecOutcome, OutputStream } from '../runtimes/types.js';
import type { Reading, StepEnd, StepInterpreter } from './types.js';

/** Any command the user gives: its first line of output is its first sign of life, its exit its result. */
export class CommandInterpreter implements StepInterpreter {
  private seen = false;

  take(_stream: OutputStream, text: string, at: number): Reading {
    const moments = this.seen ? [] : [{ kind: 'ready', at } as const, { kind: 'first-output', at } as const];
    this.seen = true;
    return { lines: [text], moments };
  }

  finish(_outcome: ExecOutcome, at: number): StepEnd {
    return { lines: [], moments: [{ kind: 'result', at, byExit: true }], failure: null, contribution: {} };
  }
}
