import type { ModeId } from '../domain/modes.js';
import type { AppState, PaneView } from './store.js';

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

/** Scrolls the focused pane by `delta` lines (positive: back in history), within its buffer. */
export function scrollBy(state: AppState, delta: number, lengthOf: (mode: ModeId) => number): Partial<AppState> {
  const pane = state.panes[state.focus];
  if (!pane) return {};
  const max = Math.max(0, lengthOf(pane.mode) - state.pageSize);
  const scroll = Math.min(max, Math.max(0, pane.scroll + delta));
  return scroll === pane.scroll ? {} : { panes: replacePane(state.panes, state.focus, { ...pane, scroll }) };
}

export function replacePane(panes: PaneView[], index: number, pane: PaneView): PaneView[] {
  return panes.map((current, i) => (i === index ? pane : current));
}

export function emptyPane(mode: ModeId, revision = 0): PaneView {
  return { mode, runIds: [], currentRunId: null, revision, scroll: 0 };
}
