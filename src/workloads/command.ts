import type { OutputStream } from '../runtimes/types.js';
import { emptyMarks, type LineInterpreter, type Marks } from './types.js';

/** Any command the user gives: its first line of output is its first sign of life. */
export class CommandInterpreter implements LineInterpreter {
  readonly marks: Marks = emptyMarks();

  take(_stream: OutputStream, text: string, at: number): string[] {
    this.marks.ready ??= at;
    this.marks.firstOutput ??= at;
    return [text];
  }

  finish(): string[] {
    return [];
  }
}
