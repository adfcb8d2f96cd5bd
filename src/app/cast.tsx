// The replay command loads process-setup before this module (JSX compiles to a React import that would come first).
import FakeTimers from '@sinonjs/fake-timers';
import { render } from 'ink';
import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import type { CliOptions } from '../config/options.js';
import { AppController } from '../state/controller.js';
import type { AppEngine, Clock } from '../state/engine.js';
import { Root } from './Root.js';
import { ScriptedKeyboard } from './scripted-keyboard.js';

/** Time and timers as the replay sees them; during a cast, all of them fake. */
export interface VirtualTime {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CastOptions {
  columns: number;
  rows: number;
  /** Wall-clock start of what is replayed (the cast's timestamp). */
  startedAt: string;
  /** The longest the replay can take at its speed: a bound on the rendering. */
  playMs: number;
  /** How long the results stay on screen before the cast ends. */
  holdMs?: number;
}

/** A replay: the app's engine, and the replay clock its timers read. */
export interface CastReplay {
  engine: AppEngine;
  clock: Clock;
}

/** One asciicast v2 output event: seconds since the start, "o", the bytes written. */
export type CastEvent = [number, 'o', string];

export interface Cast {
  header: { version: 2; width: number; height: number; timestamp: number; env: Record<string, string> };
  events: CastEvent[];
}

/** A terminal of a fixed size that keeps every write with the (fake) time it happened. */
class CastTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly events: CastEvent[] = [];
  /** Off once the cast has ended: the app's teardown (leaving the screen) is not part of it. */
  capturing = true;
  constructor(
    readonly columns: number,
    readonly rows: number,
    private readonly elapsed: () => number,
  ) {
    super();
  }

  write = (data: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    if (this.capturing && text !== '') this.events.push([Math.round(this.elapsed()) / 1000, 'o', text]);
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  };
}

/**
 * Renders a replay of the app into an asciicast v2 recording, as a terminal of the given size
 * would have shown it at `speed`. Time is faked: timers, the replay clock and the timestamps all
 * run on one virtual clock that is moved forward as fast as the rendering goes, so a 5-minute
 * session renders in seconds.
 */
export async function renderCast(
  createReplay: (time: VirtualTime) => CastReplay,
  cli: CliOptions,
  options: CastOptions,
): Promise<Cast> {
  const start = Date.parse(options.startedAt) || Date.now();
  const fake = FakeTimers.install({
    now: start,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date'],
  });
  try {
    const elapsed = () => fake.now - start;
    const { engine, clock } = createReplay({
      now: elapsed,
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    });
    const terminal = new CastTerminal(options.columns, options.rows, elapsed);
    const controller = new AppController({ cli, engine });
    const instance = render(<Root controller={controller} clock={clock} />, {
      stdout: terminal as unknown as NodeJS.WriteStream,
      stderr: new CastTerminal(options.columns, options.rows, elapsed) as unknown as NodeJS.WriteStream,
      stdin: new ScriptedKeyboard() as unknown as NodeJS.ReadStream,
      interactive: true,
      alternateScreen: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    await fake.tickAsync(0);
    controller.detect();
    // The whole replay, plus detection, with room to spare; a replay cannot run longer.
    const limit = options.playMs + 60_000;
    while (controller.store.getState().phase !== 'results' && elapsed() < limit) await fake.tickAsync(50);
    await fake.tickAsync(options.holdMs ?? 3000);
    // The cast ends on the results; the viewer's terminal is left showing them.
    terminal.capturing = false;
    controller.command('app.quit');
    await fake.tickAsync(100);
    instance.unmount();
    await fake.tickAsync(100);
    return {
      header: {
        version: 2,
        width: options.columns,
        height: options.rows,
        timestamp: Math.floor(start / 1000),
        env: { TERM: 'xterm-256color', SHELL: '/bin/sh' },
      },
      events: terminal.events,
    };
  } finally {
    fake.uninstall();
  }
}

/** The asciicast v2 file: the header line, then one JSON array per write. */
export function castText(cast: Cast): string {
  return [JSON.stringify(cast.header), ...cast.events.map((event) => JSON.stringify(event))].join('\n') + '\n';
}

export async function writeCast(path: string, cast: Cast): Promise<void> {
  await writeFile(path, castText(cast));
}
