import { vi } from 'vitest';
import { Root } from '../../../src/app/Root.js';
import type { CliOptions } from '../../../src/config/options.js';
import type { ModeId } from '../../../src/domain/modes.js';
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
}

/** The whole app on a scripted engine, a fake clock and a fixed-size terminal. Call vi.useFakeTimers() first. */
export async function renderApp(options: HarnessOptions = {}): Promise<AppHarness> {
  const clock = fakeClock();
  const engine = new FakeEngine(clock, options.found, options.instantDetection ?? true);
  const controller = new AppController({ cli: options.cli ?? cliOptions(options.argv), engine });
  const terminal = await renderInTerminal(<Root controller={controller} clock={clock} />, options.columns, options.rows);
  controller.detect();
  await vi.advanceTimersByTimeAsync(0);
  return { ...terminal, controller, engine };
}
