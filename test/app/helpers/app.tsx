import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { TargetDetection } from '../../../src/domain/targets.js';
import { Root } from '../../../src/app/Root.js';
import type { CliOptions } from '../../../src/config/options.js';
import type { ModeId } from '../../../src/domain/modes.js';
import { createReplayEngine, type ReplayEngine } from '../../../src/cli/replay-engine.js';
import { replayOptions } from '../../../src/cli/replay.js';
import { parseRecording, type Recording } from '../../../src/recording/record-file.js';
import { AppController } from '../../../src/state/controller.js';
import { cliOptions, FakeEngine, fakeClock } from './fake-engine.js';
import { renderInTerminal, type Terminal } from './terminal.js';

export interface AppHarness extends Terminal {
  controller: AppController;
  engine: FakeEngine;
}

export interface HarnessOptions {
  argv?: string[];
  cli?: CliOptions;
  columns?: number;
  rows?: number;
  found?: Partial<Record<ModeId, boolean>>;
  instantDetection?: boolean;
  /** Docker contexts / Podman connections the fake detection finds. */
  targets?: TargetDetection[];
  /** The targets are found only at engine.answerTargets(). */
  targetsLater?: boolean;
}

const rendered: Terminal[] = [];

/**
 * For a file of app tests: fake timers in every test, and after it every app it rendered is
 * checked (no frame taller than the terminal, ever) and unmounted.
 */
export function setUpAppTests(): void {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const app of rendered.splice(0)) {
      expect(app.stdout.oversized()).toEqual([]);
      app.instance.unmount();
    }
    vi.useRealTimers();
  });
}

/** The whole app on a scripted engine, a fake clock and a fixed-size terminal, under setUpAppTests(). */
export async function renderApp(options: HarnessOptions = {}): Promise<AppHarness> {
  const clock = fakeClock();
  const engine = new FakeEngine(clock, options.found, options.instantDetection ?? true, options.targets, options.targetsLater);
  const controller = new AppController({ cli: options.cli ?? cliOptions(options.argv), engine });
  const terminal = await renderInTerminal(<Root controller={controller} clock={clock} />, options.columns, options.rows);
  controller.detect();
  await vi.advanceTimersByTimeAsync(0);
  const app = { ...terminal, controller, engine };
  rendered.push(app);
  return app;
}

export interface ReplayHarness extends Terminal {
  controller: AppController;
  engine: ReplayEngine;
  /** What the replay wrote (the e / j keys, --json / --markdown), by name. */
  files: Map<string, string>;
}

/** A fixture recording made by a real session here (test/fixtures/recordings). */
export function fixtureRecording(name: string): Recording {
  const file = new URL(`../../fixtures/recordings/${name}`, import.meta.url);
  return parseRecording(readFileSync(file, 'utf8'), name);
}

/** The app replaying a recording on fake timers, in a fixed-size terminal, under setUpAppTests(). */
export async function renderReplay(
  recording: Recording,
  options: { speed?: number; from?: number; columns?: number; rows?: number; targets?: Partial<CliOptions> } = {},
): Promise<ReplayHarness> {
  const origin = Date.now();
  const engine = createReplayEngine(recording, {
    speed: options.speed ?? 1,
    from: options.from ?? 0,
    real: {
      now: () => Date.now() - origin,
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  });
  const files = new Map<string, string>();
  engine.writeFile = async (name, content) => {
    files.set(name, content);
    return `/work/${name}`;
  };
  const controller = new AppController({ cli: { ...replayOptions(recording), ...options.targets }, engine });
  const terminal = await renderInTerminal(<Root controller={controller} clock={engine.clock} />, options.columns, options.rows);
  controller.detect();
  await vi.advanceTimersByTimeAsync(0);
  const app = { ...terminal, controller, engine, files };
  rendered.push(app);
  return app;
}
