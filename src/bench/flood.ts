import { EventEmitter } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink';
import { createElement } from 'react';
import { Root } from '../app/Root.js';
import { ScriptedKeyboard } from '../app/scripted-keyboard.js';
import { parseOptions } from '../config/options.js';
import { MODE_IDS, type ModeId } from '../domain/modes.js';
import type { RunRecord, RunStatus } from '../domain/results.js';
import { sanitizeLine, truncateLine } from '../domain/sanitize.js';
import type { EngineEvent, RunInfo } from '../engine/events.js';
import { planOf } from '../engine/plan-session.js';
import { newRecord, type Session } from '../engine/session.js';
import { AppController } from '../state/controller.js';
import type { AppEngine, Clock } from '../state/engine.js';
import type { BenchReport } from './report.js';

export interface FloodOptions {
  seconds?: number;
  linesPerSecond?: number;
  columns?: number;
  rows?: number;
}

/** A terminal that keeps no text: it measures each frame Ink writes. */
class MeasuringTerminal extends EventEmitter {
  readonly isTTY = true;
  frames = 0;
  tallest = 0;
  oversized = 0;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }

  write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    const plain = stripVTControlCharacters(String(chunk));
    if (plain.trim() !== '') {
      const lines = plain.split('\n');
      const height = plain.endsWith('\n') ? lines.length - 1 : lines.length;
      this.frames += 1;
      this.tallest = Math.max(this.tallest, height);
      if (height > this.rows) this.oversized += 1;
      this.emit('frame');
    }
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  }
}

function record(run: RunInfo, status: RunStatus): RunRecord {
  const passed = status === 'passed';
  return { ...newRecord(run), status, exitCode: passed ? 0 : null, runtime: 'flood', error: passed ? null : 'stopped' };
}

/** A session whose runs each print `linesPerSecond` coloured lines, paced by the clock, for `seconds`. */
function floodSession(modes: ModeId[], clock: Clock, seconds: number, linesPerSecond: number, emit: (event: EngineEvent) => void): Session {
  const runs = modes.map((mode): RunInfo => ({ id: `flood-${mode}`, mode, workload: 'probe', iteration: 1, warmup: false }));
  const sent = new Map(runs.map((run) => [run.id, 0]));
  const ended = new Set<string>();
  let resolve: (records: RunRecord[]) => void = () => {};
  const done = new Promise<RunRecord[]>((settle) => {
    resolve = settle;
  });
  const records: RunRecord[] = [];
  const end = (run: RunInfo, status: RunStatus) => {
    if (ended.has(run.id)) return;
    ended.add(run.id);
    records.push(record(run, status));
    emit({ type: 'status', runId: run.id, status, step: null, at: clock.now() });
    emit({ type: 'run-finished', runId: run.id, record: records.at(-1)!, at: clock.now() });
    if (ended.size === runs.length) {
      clearInterval(timer);
      emit({ type: 'session-finished', records, at: clock.now() });
      resolve(records);
    }
  };
  for (const run of runs) emit({ type: 'run-queued', run });
  for (const run of runs) emit({ type: 'status', runId: run.id, status: 'running', step: 'flood', at: clock.now() });
  const start = clock.now();
  const timer = setInterval(() => {
    const elapsed = Math.min(seconds * 1000, clock.now() - start);
    for (const run of runs) {
      if (ended.has(run.id)) continue;
      const due = Math.floor((elapsed * linesPerSecond) / 1000);
      for (let n = sent.get(run.id) ?? 0; n < due; n++) {
        // As the engine does: every line is sanitized and cut before it is emitted.
        const text = `${run.mode} line ${n} \u001B[32mok\u001B[39m ${'lorem ipsum dolor sit amet '.repeat(1 + (n % 4))}`;
        emit({ type: 'output', runId: run.id, stream: 'stdout', text: truncateLine(sanitizeLine(text), 2000), at: clock.now() });
      }
      sent.set(run.id, due);
      if (elapsed >= seconds * 1000) end(run, 'passed');
    }
  }, 10);
  return {
    id: 'flood',
    runs,
    done,
    stop: (runId) => {
      const run = runs.find((r) => r.id === runId);
      if (run) end(run, 'cancelled');
    },
    stopAll: () => runs.forEach((run) => end(run, 'cancelled')),
    forceStopAll: async () => runs.forEach((run) => end(run, 'cancelled')),
  };
}

function floodEngine(clock: Clock, seconds: number, linesPerSecond: number): AppEngine {
  return {
    modes: MODE_IDS,
    detect: async (mode) => ({ mode, available: true, runtime: 'flood', version: null, details: [], reason: null, fix: null }),
    plan: async (options) => {
      const modes = options.modes === 'auto' ? [...MODE_IDS] : options.modes;
      return {
        secrets: [],
        unavailable: [],
        plan: planOf({ ...options, modes }),
        start: (_sessionId, emit) => floodSession(modes, clock, seconds, linesPerSecond, emit),
      };
    },
    facts: () => ({ startedAt: new Date().toISOString(), command: 'bench', host: { os: '', arch: '', kernel: '', user: '' }, runtimes: {} }),
    writeFile: async (name) => name,
    remember: () => {},
  };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** Presses tab every 200 ms while the flood runs: how long until the store has the new focus, and until a frame shows it. */
function keyProbe(controller: AppController, keyboard: ScriptedKeyboard, terminal: MeasuringTerminal) {
  const handled: number[] = [];
  const painted: number[] = [];
  let pressedAt: number | null = null;
  let waitingForFrame = false;
  const unsubscribe = controller.store.subscribe((state, previous) => {
    if (pressedAt === null || state.focus === previous.focus) return;
    handled.push(performance.now() - pressedAt);
    waitingForFrame = true;
  });
  const onFrame = () => {
    if (!waitingForFrame || pressedAt === null) return;
    painted.push(performance.now() - pressedAt);
    waitingForFrame = false;
    pressedAt = null;
  };
  terminal.on('frame', onFrame);
  const timer = setInterval(() => {
    if (pressedAt !== null) return;
    pressedAt = performance.now();
    // A key arrives between other work, like terminal input does.
    setImmediate(() => keyboard.press('\t'));
  }, 200);
  return {
    handled,
    painted,
    stop() {
      clearInterval(timer);
      unsubscribe();
      terminal.off('frame', onFrame);
    },
  };
}

/**
 * Four panes, each receiving `linesPerSecond` lines for `seconds`, through the real store, batcher
 * and Ink render into a fixed-size terminal.
 */
export async function floodCase(options: FloodOptions = {}): Promise<BenchReport> {
  const { seconds = 10, linesPerSecond = 5000, columns = 160, rows = 45 } = options;
  const clock: Clock = { now: () => performance.now() };
  const controller = new AppController({
    cli: parseOptions(['--mode', MODE_IDS.join(','), '--workload', 'probe'], {}),
    engine: floodEngine(clock, seconds, linesPerSecond),
  });
  const terminal = new MeasuringTerminal(columns, rows);
  const keyboard = new ScriptedKeyboard();
  let renders = 0;
  let longestRender = 0;
  const instance = render(createElement(Root, { controller, clock }), {
    stdout: terminal as unknown as NodeJS.WriteStream,
    stderr: terminal as unknown as NodeJS.WriteStream,
    stdin: keyboard as unknown as NodeJS.ReadStream,
    alternateScreen: true,
    interactive: true,
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: ({ renderTime }) => {
      renders += 1;
      longestRender = Math.max(longestRender, renderTime);
    },
  });
  const state = () => controller.store.getState();
  controller.detect();
  await until(() => state().phase === 'choose');

  // Each store update costs a React render and a layout: time them.
  const { batcher } = controller;
  const flush = batcher.flush.bind(batcher);
  let longestUpdate = 0;
  batcher.flush = () => {
    const started = performance.now();
    flush();
    longestUpdate = Math.max(longestUpdate, performance.now() - started);
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const framesBefore = terminal.frames;
  const started = performance.now();
  keyboard.press('\r');
  await until(() => state().phase === 'run');
  loop.enable();
  const keys = keyProbe(controller, keyboard, terminal);
  await until(() => state().phase === 'results');
  const elapsed = (performance.now() - started) / 1000;
  keys.stop();
  loop.disable();
  const frames = terminal.frames - framesBefore;
  const lines = state().runs['flood-docker']?.output.total ?? 0;
  keyboard.press('q');
  await controller.closed;
  instance.unmount();
  await instance.waitUntilExit();

  const peakRss = process.resourceUsage().maxRSS / 1024;
  const keyMax = Math.max(0, ...keys.handled);
  return {
    name: `flood: ${MODE_IDS.length} panes × ${linesPerSecond.toLocaleString('en-US')} lines/s for ${seconds} s, ${columns}×${rows}`,
    metrics: [
      ['lines per pane', lines.toLocaleString('en-US')],
      ['frames written', `${frames} (${(frames / elapsed).toFixed(1)} per second)`],
      ['Ink renders', `${renders}, longest ${longestRender.toFixed(1)} ms`],
      ['store updates', `${batcher.flushes}, longest (React + layout) ${longestUpdate.toFixed(1)} ms`],
      ['event loop delay', `p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`],
      ['key press handled', `median ${percentile(keys.handled, 50).toFixed(1)} ms, p99 ${percentile(keys.handled, 99).toFixed(1)} ms, max ${keyMax.toFixed(1)} ms (${keys.handled.length} presses)`],
      ['key press on screen', `median ${percentile(keys.painted, 50).toFixed(1)} ms, max ${Math.max(0, ...keys.painted).toFixed(1)} ms`],
      ['peak RSS', `${peakRss.toFixed(0)} MB`],
      ['tallest frame', `${terminal.tallest} of ${rows} rows`],
    ],
    floors: [
      { label: 'a key press is handled within 100 ms', ok: keys.handled.length > 0 && keyMax <= 100 },
      { label: 'peak RSS under 200 MB', ok: peakRss < 200 },
      { label: 'no frame taller than the terminal', ok: terminal.oversized === 0 },
    ],
  };
}
