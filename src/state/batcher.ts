import { LineBuffer, type LineBufferOptions } from '../domain/line-buffer.js';
import { isFinal } from '../domain/results.js';
import type { EngineEvent } from '../engine/events.js';
import { clampScroll, paneHolds, paneLength } from './panes.js';
import type { AppState, AppStore } from './store.js';

export interface BatcherOptions {
  /** How often the store is updated while events arrive. */
  tickMs?: number;
  /** Bounds of each run's output; older lines are dropped (and counted). */
  maxLines?: number;
  maxBytes?: number;
}

const DIM = (text: string) => `\u001B[2m${text}\u001B[22m`;

/**
 * Sits between the engine and the store. A line goes into its run's bounded buffer at once (cheap,
 * outside React); everything else waits, and one store update per tick applies it all and moves
 * each run's `lines` up to what its buffer holds. A store update costs a React render and a
 * layout, so it must never happen per line.
 */
export class OutputBatcher {
  private events: EngineEvent[] = [];
  /** Buffers of runs queued since the last update: the store does not have them yet. */
  private queued = new Map<string, LineBuffer>();
  /** Runs that got lines since the last update. */
  private grown = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly tickMs: number;
  private readonly bounds: Required<LineBufferOptions>;
  /** Store updates made so far. */
  flushes = 0;

  constructor(
    private readonly store: AppStore,
    options: BatcherOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 50;
    this.bounds = { maxLines: options.maxLines ?? 2000, maxBytes: options.maxBytes ?? 1_000_000 };
  }

  handle = (event: EngineEvent): void => {
    if (event.type === 'output') {
      // A run the state does not know (never queued, or its pane was cleared) has nowhere to show.
      const output = this.store.getState().runs[event.runId]?.output ?? this.queued.get(event.runId);
      if (!output) return;
      output.push(event.stream === 'cc-iso' ? DIM(event.text) : event.text);
      this.grown.add(event.runId);
    } else if (event.type === 'session-finished') {
      return;
    } else {
      if (event.type === 'run-queued') this.queued.set(event.run.id, new LineBuffer(this.bounds));
      this.events.push(event);
    }
    this.timer ??= setTimeout(() => this.flush(), this.tickMs);
  };

  /** Applies everything pending in one store update. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.events.length === 0 && this.grown.size === 0) return;
    const batch: Batch = { events: this.events, queued: this.queued, grown: this.grown, bounds: this.bounds };
    this.events = [];
    this.queued = new Map();
    this.grown = new Set();
    this.flushes += 1;
    this.store.setState((state) => applyBatch(state, batch));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

interface Batch {
  events: EngineEvent[];
  queued: Map<string, LineBuffer>;
  grown: Set<string>;
  bounds: Required<LineBufferOptions>;
}

/** An earlier run of a pane keeps only its last lines, so a pane of many runs stays near one run's bounds. */
function earlierRunBounds(bounds: Required<LineBufferOptions>): Required<LineBufferOptions> {
  return { maxLines: Math.ceil(bounds.maxLines / 10), maxBytes: bounds.maxBytes / 10 };
}

function applyBatch(state: AppState, { events, queued, grown, bounds }: Batch): Partial<AppState> {
  const runs = { ...state.runs };
  const panes = state.panes.map((pane) => ({ ...pane, runIds: [...pane.runIds] }));
  const paneOf = (runId: string) => panes.find((pane) => pane.runIds.includes(runId));
  // A pane scrolled up keeps showing the same lines while new ones arrive below.
  const before = panes.map((pane) => (pane.scroll > 0 ? paneLength(runs, pane) : 0));
  const earlier: string[] = [];
  for (const event of events) {
    if (event.type === 'run-queued') {
      const { run } = event;
      const output = queued.get(run.id) ?? new LineBuffer(bounds);
      runs[run.id] = { info: run, status: 'queued', step: null, startedAt: null, endedAt: null, record: null, output, lines: 0 };
      const pane = panes.find((p) => paneHolds(p, run));
      if (pane) {
        pane.runIds.push(run.id);
        pane.currentRunId ??= run.id;
      }
    } else if (event.type === 'status') {
      const run = runs[event.runId];
      if (!run) continue;
      const started = event.status !== 'queued';
      runs[event.runId] = {
        ...run,
        status: event.status,
        step: event.step,
        startedAt: run.startedAt ?? (started ? event.at : null),
        endedAt: isFinal(event.status) ? (run.endedAt ?? event.at) : null,
      };
      const pane = paneOf(event.runId);
      if (pane && started && pane.currentRunId !== event.runId) {
        earlier.push(...pane.runIds.slice(0, pane.runIds.indexOf(event.runId)));
        pane.currentRunId = event.runId;
      }
    } else if (event.type === 'run-finished') {
      const run = runs[event.runId];
      if (run) runs[event.runId] = { ...run, record: event.record };
    }
  }
  for (const id of grown) {
    const run = runs[id];
    if (run) runs[id] = { ...run, lines: run.output.total };
  }
  panes.forEach((pane, index) => {
    if (pane.scroll > 0) pane.scroll += paneLength(runs, pane) - (before[index] ?? 0);
  });
  for (const id of earlier) {
    const run = runs[id];
    run?.output.keepNewest(earlierRunBounds(bounds));
  }
  for (const pane of panes) if (pane.scroll > 0) pane.scroll = clampScroll({ runs, pageSize: state.pageSize }, pane, pane.scroll);
  return { runs, panes };
}
