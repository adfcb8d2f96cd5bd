import { EventEmitter } from 'node:events';
import { render, type Instance } from 'ink';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { ScriptedKeyboard } from '../../../src/app/scripted-keyboard.js';

/** A terminal of a fixed size: Ink lays out to its columns and useWindowSize reads its rows. */
export class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  /** Each frame's height next to the terminal's rows when it was written. */
  private readonly heights: { height: number; rows: number }[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }

  write = (frame: string): boolean => {
    this.frames.push(frame);
    if (frame.trim() !== '') this.heights.push({ height: frame.split('\n').length, rows: this.rows });
    return true;
  };

  /** Frames that were taller than the terminal they were written to. */
  oversized(): { height: number; rows: number }[] {
    return this.heights.filter((frame) => frame.height > frame.rows);
  }

  lastFrame(): string {
    return this.frames.at(-1) ?? '';
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** The app's keyboard in tests: `write` a key as a terminal would send it. */
export class FakeStdin extends ScriptedKeyboard {
  write(data: string): void {
    this.press(data);
  }
}

export const KEYS = {
  enter: '\r',
  tab: '\t',
  shiftTab: '\u001B[Z',
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  end: '\u001B[F',
  escape: '\u001B',
  backspace: '\u007F',
  ctrlC: '\u0003',
  ctrlU: '\u0015',
  space: ' ',
} as const;

export function bracketedPaste(text: string): string {
  return `\u001B[200~${text}\u001B[201~`;
}

export interface Terminal {
  stdout: FakeStdout;
  stdin: FakeStdin;
  instance: Instance;
  lastFrame(): string;
  /** Sends a key, then lets timers (the escape-key wait, the store tick) run. */
  press(key: string, times?: number): Promise<void>;
  /** Moves fake time forward. */
  advance(ms: number): Promise<void>;
}

/** Renders in debug mode (every frame written whole, no throttling) into a fixed-size terminal. Needs fake timers. */
export async function renderInTerminal(tree: ReactElement, columns = 160, rows = 45): Promise<Terminal> {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  // useInput subscribes in an effect: a key written before it runs is lost.
  await vi.advanceTimersByTimeAsync(0);
  const advance = async (ms: number): Promise<void> => {
    await vi.advanceTimersByTimeAsync(ms);
  };
  return {
    stdout,
    stdin,
    instance,
    lastFrame: () => stdout.lastFrame(),
    async press(key, times = 1) {
      for (let i = 0; i < times; i++) {
        stdin.write(key);
        await advance(30);
      }
    },
    advance,
  };
}
