import type { ModeId } from '../domain/modes.js';
import { LineBuffer } from '../domain/line-buffer.js';
import { isFinal, type EngineEvent, type RunInfo } from '../engine/events.js';
import type { AppState, AppStore, PaneView } from './store.js';

export interface BatcherOptions {
  /** How often the store is updated while events arrive. */
  tickMs?: number;
  /** Per-pane buffer bounds; older lines are dropped (and counted). */
  maxLines?: number;
  maxBytes?: number;
}

const DIM = (text: string) => `\u001B[2m${text}\u001B[22m`;

/**
 * Sits between the engine and the store. Lines go into each pane's bounded buffer at once (cheap,
 * outside React); everything else waits, and one store update per tick applies it all and bumps
 * the revision of each pane that got lines. A store update costs a React render and a layout, so
 * it must never happen per line.
 */
export class OutputBatcher {
  private readonly buffers = new Map<ModeId, LineBuffer>();
  private readonly runs = new Map<string, RunInfo>();
  private readonly started = new Set<string>();
  private events: EngineEvent[] = [];
  private added = new Map<ModeId, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly tickMs: number;
  private readonly maxLines: number;
  private readonly maxBytes: number;
  /** Store updates made so far. */
  flushes = 0;

  constructor(
    private readonly store: AppStore,
    options: BatcherOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 50;
    this.maxLines = options.maxLines ?? 2000;
    this.maxBytes = options.maxBytes ?? 1_000_000;
  }

  buffer(mode: ModeId): LineBuffer {
    let buffer = this.buffers.get(mode);
    if (!buffer) {
      buffer = new LineBuffer({ maxLines: this.maxLines, maxBytes: this.maxBytes });
      this.buffers.set(mode, buffer);
    }
    return buffer;
  }

  /** Starts a pane over with an empty buffer (a new session of that mode). */
  reset(mode: ModeId): void {
    this.buffers.delete(mode);
    this.added.delete(mode);
  }

  handle = (event: EngineEvent): void => {
    if (event.type === 'output') {
      const mode = this.runs.get(event.runId)?.mode;
      if (!mode) return;
      this.append(mode, event.stream === 'cc-iso' ? DIM(event.text) : event.text);
    } else if (event.type === 'session-finished') {
      return;
    } else {
      if (event.type === 'run-queued') this.runs.set(event.run.id, event.run);
      if (event.type === 'status') this.markStart(event.runId, event.status);
      this.events.push(event);
    }
    this.timer ??= setTimeout(() => this.flush(), this.tickMs);
  };

  /** Applies everything pending in one store update. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.events.length === 0 && this.added.size === 0) return;
    const events = this.events;
    const added = this.added;
    this.events = [];
    this.added = new Map();
    this.flushes += 1;
    this.store.setState((state) => applyBatch(state, events, added, (mode) => this.buffer(mode).length));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private append(mode: ModeId, text: string): void {
    this.buffer(mode).push(text);
    this.added.set(mode, (this.added.get(mode) ?? 0) + 1);
  }

  /** A later run of the same pane starts below a separator line, so runs stay apart. */
  private markStart(runId: string, status: string): void {
    const run = this.runs.get(runId);
    if (!run || status === 'queued' || this.started.has(runId)) return;
    this.started.add(runId);
    if (this.buffer(run.mode).total > 0) {
      this.append(run.mode, DIM(`── ${run.mode} ${run.warmup ? 'warm-up ' : '#'}${run.iteration} ──`));
    }
  }
}

function applyBatch(
  state: AppState,
  events: EngineEvent[],
  added: Map<ModeId, number>,
  lengthOf: (mode: ModeId) => number,
): Partial<AppState> {
  const runs = { ...state.runs };
  const panes = state.panes.map((pane) => ({ ...pane, runIds: [...pane.runIds] }));
  const paneOf = (runId: string): PaneView | undefined => {
    const mode = runs[runId]?.info.mode;
    return panes.find((pane) => pane.mode === mode);
  };
  for (const event of events) {
    if (event.type === 'run-queued') {
      runs[event.run.id] = { info: event.run, status: 'queued', step: null, startedAt: null, endedAt: null, record: null };
      const pane = paneOf(event.run.id);
      if (pane) {
        pane.runIds.push(event.run.id);
        pane.currentRunId ??= event.run.id;
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
      if (pane && started && pane.runIds.includes(event.runId)) pane.currentRunId = event.runId;
    } else if (event.type === 'run-finished') {
      const run = runs[event.runId];
      if (run) runs[event.runId] = { ...run, record: event.record };
    }
  }
  for (const pane of panes) {
    const count = added.get(pane.mode);
    if (!count) continue;
    pane.revision += 1;
    // A pane scrolled up keeps showing the same lines while new ones arrive below.
    if (pane.scroll > 0) pane.scroll = Math.min(pane.scroll + count, Math.max(0, lengthOf(pane.mode) - state.pageSize));
  }
  return { runs, panes };
}
