// main.ts loads process-setup before this module (JSX compiles to a React import that would come first).
import { boundHeapGrowth, restoreEnvironment } from './process-setup.js';
import { placementLabel } from '../domain/targets.js';
import { render } from 'ink';
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CliOptions } from '../config/options.js';
import type { RunRecord } from '../domain/results.js';
import { textTable } from '../export/format.js';
import { AppController } from '../state/controller.js';
import type { AppEngine, Clock } from '../state/engine.js';
import { recordsOf } from '../state/store.js';
import { fittedModel } from './results-view.js';
import { Root } from './Root.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How long the first frame waits for detections under way. */
const FIRST_FRAME_WAIT_MS = 150;

/**
 * The interactive app on the alternate screen. Resolves once every run has ended and the terminal
 * is restored, after printing the results table to the normal screen (so it stays in scrollback).
 * The exit code is `cc-iso run`'s: 0 when every run passed, 1 otherwise.
 */
export async function launchApp(
  cli: CliOptions,
  createEngine: (clock: Clock) => AppEngine,
  /** The clock timers read: real time, or a replay's. */
  clock: Clock = { now: () => performance.now() },
  /** What must happen right before Ink's first frame (the splash handing the screen over). */
  beforeFirstFrame: () => void = () => {},
): Promise<number> {
  restoreEnvironment();
  boundHeapGrowth();
  const controller = new AppController({
    cli,
    engine: createEngine(clock),
  });
  // Detection was started before Ink loaded (the splash row is on screen): answers that land
  // within a moment go into the first frame, the choose screen at once, instead of a detecting
  // frame and a second render; a slower engine gets the detecting screen first.
  await Promise.race([controller.detect(), sleep(FIRST_FRAME_WAIT_MS, undefined, { ref: false })]);
  beforeFirstFrame();
  // main.ts checked for a terminal; CI=true in the environment must not turn the app into a log.
  const instance = render(<Root controller={controller} clock={clock} />, {
    alternateScreen: true,
    interactive: true,
    exitOnCtrlC: false,
  });
  // A signal from outside (a closed terminal too) counts as a press of q: the first stops
  // cleanly, the second forces; the app then exits with the shell's code for the first signal.
  let stoppedBy: (typeof SIGNALS)[number] | null = null;
  const onSignal = (signal: (typeof SIGNALS)[number]) => {
    stoppedBy ??= signal;
    controller.command('app.quit');
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // A terminal that went away without a SIGHUP fails the next write: stop the runs all the same.
  let broken = false;
  const onBrokenTerminal = () => {
    if (!broken && stoppedBy === null) onSignal('SIGHUP');
    broken = true;
  };
  process.stdout.on('error', onBrokenTerminal);
  process.stderr.on('error', onBrokenTerminal);
  let code: number;
  try {
    code = await Promise.race([
      controller.closed,
      // Ink ends on its own only through an error: stop every run before passing it on.
      instance.waitUntilExit().then(
        () => stopEverything(controller),
        async (error: unknown) => {
          await stopEverything(controller);
          throw error;
        },
      ),
    ]);
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    instance.unmount();
    await instance.waitUntilExit().catch(() => {});
  }
  printResults(recordsOf(controller.store.getState()));
  return stoppedBy ? 128 + constants.signals[stoppedBy] : code;
}

async function stopEverything(controller: AppController): Promise<number> {
  controller.command('app.quit');
  controller.command('app.quit');
  return controller.closed;
}

function printResults(records: RunRecord[]): void {
  if (records.length === 0) return;
  const model = fittedModel(records, process.stdout.columns || 120);
  process.stdout.write(`${textTable(model)}\n`);
  for (const record of records.filter((r) => r.error)) {
    process.stdout.write(`✗ ${placementLabel({ mode: record.mode, target: record.target ?? null })} #${record.iteration}: ${record.error}\n`);
  }
}
