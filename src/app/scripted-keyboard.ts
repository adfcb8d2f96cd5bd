import { EventEmitter } from 'node:events';

/**
 * A raw-mode terminal's input for Ink when no person types: keys are handed in by `press` and
 * read the way Ink reads a terminal, on 'readable'. The cast renderer presses nothing; the bench
 * and the app tests press keys.
 */
export class ScriptedKeyboard extends EventEmitter {
  readonly isTTY = true;
  private pending: string | null = null;

  press(key: string): void {
    this.pending = key;
    this.emit('readable');
  }

  read = (): string | null => {
    const key = this.pending;
    this.pending = null;
    return key;
  };

  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
