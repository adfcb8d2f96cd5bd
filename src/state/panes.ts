import type { ModeId } from '../domain/modes.js';
import { placementLabel } from '../domain/targets.js';
import type { AppState, PaneView, RunView } from './store.js';

type Runs = AppState['runs'];

export function focusBy(state: AppState, delta: number): Partial<AppState> {
  const count = state.panes.length;
  if (count === 0) return {};
  return { focus: (state.focus + delta + count) % count };
}

/** Digit keys: 1 is the first pane; a digit past the last pane does nothing. */
export function focusNumber(state: AppState, digit: string): Partial<AppState> {
  const index = Number(digit) - 1;
  return index >= 0 && index < state.panes.length ? { focus: index } : {};
}

export function replacePane(panes: PaneView[], index: number, pane: PaneView): PaneView[] {
  return panes.map((current, i) => (i === index ? pane : current));
}

export function emptyPane(mode: ModeId, target: string | null = null): PaneView {
  return { mode, ...(target ? { target } : {}), runIds: [], currentRunId: null, scroll: 0 };
}

/** Whether a run belongs in a pane: the same mode on the same machine. */
export function paneHolds(pane: PaneView, run: { mode: ModeId; target?: string | null }): boolean {
  return pane.mode === run.mode && (pane.target ?? null) === (run.target ?? null);
}

/** "docker" or "docker@buildbox", as the pane's header and the title bar show it. */
export function paneLabel(pane: PaneView): string {
  return placementLabel({ mode: pane.mode, target: pane.target ?? null });
}

/** A rerun: the pane starts empty, and its old runs (with their output) leave the state. */
export function clearPane(state: AppState, index: number): Partial<AppState> {
  const pane = state.panes[index];
  if (!pane) return {};
  const runs = { ...state.runs };
  for (const id of pane.runIds) delete runs[id];
  return { panes: replacePane(state.panes, index, emptyPane(pane.mode, pane.target ?? null)), runs };
}

/** A run's output as this state shows it: lines appended since the last store update wait for the next. */
interface Shown {
  length: number;
  tail(count: number, offsetFromEnd: number): string[];
}

function shown(run: RunView): Shown {
  const unseen = run.output.total - run.lines;
  return {
    length: Math.max(0, run.output.length - unseen),
    tail: (count, offsetFromEnd) => run.output.tail(count, offsetFromEnd + unseen),
  };
}

/**
 * What a pane shows, oldest first: its runs' output one after another, each later run below a
 * separator line once there is something above it. A run shows from the moment it leaves the queue.
 */
type Segment = Shown | string;

function segments(runs: Runs, pane: PaneView): Segment[] {
  const all: Segment[] = [];
  let above = false;
  for (const id of pane.runIds) {
    const run = runs[id];
    if (!run || (run.status === 'queued' && run.lines === 0)) continue;
    if (above) all.push(separator(run));
    all.push(shown(run));
    above ||= run.lines > 0;
  }
  return all;
}

function separator({ info }: RunView): string {
  return `\u001B[2m── ${placementLabel({ mode: info.mode, target: info.target ?? null })} ${info.warmup ? 'warm-up ' : '#'}${info.iteration} ──\u001B[22m`;
}

const lengthOf = (segment: Segment) => (typeof segment === 'string' ? 1 : segment.length);

/** Lines a pane holds now, separators included: what its scroll is clamped to. */
export function paneLength(runs: Runs, pane: PaneView): number {
  return segments(runs, pane).reduce((sum, segment) => sum + lengthOf(segment), 0);
}

/** The one clamp: back at most until the oldest line tops a page, forward down to the newest. */
export function clampScroll(state: Pick<AppState, 'runs' | 'pageSize'>, pane: PaneView, scroll: number): number {
  return Math.min(Math.max(0, paneLength(state.runs, pane) - state.pageSize), Math.max(0, scroll));
}

/** Scrolls the focused pane by `delta` lines (positive: back in history). */
export function scrollBy(state: AppState, delta: number): Partial<AppState> {
  const pane = state.panes[state.focus];
  if (!pane) return {};
  const scroll = clampScroll(state, pane, pane.scroll + delta);
  return scroll === pane.scroll ? {} : { panes: replacePane(state.panes, state.focus, { ...pane, scroll }) };
}

/** Selector: the `count` lines pane `index` shows at its scroll position, oldest first. */
export function paneLines(state: AppState, index: number, count: number): string[] {
  const pane = state.panes[index];
  if (!pane || count <= 0) return [];
  const parts: string[][] = [];
  let skip = pane.scroll;
  let wanted = count;
  const all = segments(state.runs, pane);
  for (let i = all.length - 1; i >= 0 && wanted > 0; i--) {
    const segment = all[i]!;
    const length = lengthOf(segment);
    if (skip >= length) {
      skip -= length;
      continue;
    }
    const take = Math.min(wanted, length - skip);
    parts.push(typeof segment === 'string' ? [segment] : segment.tail(take, skip));
    wanted -= take;
    skip = 0;
  }
  return parts.reverse().flat();
}

/** Selector: lines the pane's runs let go of to stay within their bounds. */
export function paneDropped(state: AppState, index: number): number {
  const pane = state.panes[index];
  if (!pane) return 0;
  return pane.runIds.reduce((sum, id) => {
    const run = state.runs[id];
    return sum + (run ? Math.min(run.lines, run.output.dropped) : 0);
  }, 0);
}
