import type { ModeId } from '../domain/modes.js';
import { placementsOf, type TargetDetection } from '../domain/targets.js';
import type { AppState } from './store.js';

/** The rows of the choose screen: one per mode, one per `mode@target`, then the fields. */
export type ChooseRow =
  | { kind: 'mode'; mode: ModeId }
  | { kind: 'target'; label: string; detection: TargetDetection }
  | { kind: 'workload' }
  | { kind: 'prompt' }
  | { kind: 'runs' };

export const MAX_RUNS = 99;

/** One row per mode a detected target offers (`docker@buildbox`), in detection order. */
export function targetRows(detections: readonly TargetDetection[] | null): Extract<ChooseRow, { kind: 'target' }>[] {
  return (detections ?? []).flatMap((detection) => placementsOf(detection).map((label) => ({ kind: 'target' as const, label, detection })));
}

export function chooseRows(state: Pick<AppState, 'modes' | 'targetDetections'>): ChooseRow[] {
  return [
    ...state.modes.map((mode): ChooseRow => ({ kind: 'mode', mode })),
    ...targetRows(state.targetDetections),
    { kind: 'workload' }, { kind: 'prompt' }, { kind: 'runs' },
  ];
}

export function moveCursor(state: AppState, delta: number): Partial<AppState> {
  const count = chooseRows(state).length;
  return { cursor: (state.cursor + delta + count) % count, notice: null };
}

/** Space: choose or drop a mode; on a field, its next value. */
export function toggle(state: AppState): Partial<AppState> {
  const row = chooseRows(state)[state.cursor];
  if (row?.kind === 'target') {
    if (!row.detection.reachable) return { notice: `${row.label} is unreachable: ${row.detection.reason ?? 'unknown'}` };
    const chosen = state.targets.includes(row.label);
    return { targets: chosen ? state.targets.filter((label) => label !== row.label) : [...state.targets, row.label], notice: null };
  }
  if (row?.kind !== 'mode') return change(state, 1);
  const { mode } = row;
  const detection = state.detections[mode];
  if (!detection?.available) {
    return { notice: `${mode} is unavailable here: ${detection?.reason ?? 'not detected'}` };
  }
  const chosen = state.choices.modes.includes(mode);
  const modes = chosen ? state.choices.modes.filter((m) => m !== mode) : [...state.choices.modes, mode];
  return { choices: { ...state.choices, modes: state.modes.filter((m) => modes.includes(m)) }, notice: null };
}

/** ←/→ on the workload or runs row. */
export function change(state: AppState, delta: number): Partial<AppState> {
  const row = chooseRows(state)[state.cursor];
  const { choices } = state;
  if (row?.kind === 'workload') {
    const index = state.workloads.indexOf(choices.workload);
    const count = state.workloads.length;
    const workload = state.workloads[(index + delta + count) % count] ?? choices.workload;
    return { choices: { ...choices, workload }, notice: null };
  }
  if (row?.kind === 'runs') {
    return { choices: { ...choices, runs: Math.min(MAX_RUNS, Math.max(1, choices.runs + delta)) }, notice: null };
  }
  return {};
}

/** Pasted or typed text as a prompt keeps: newlines survive, other control characters do not. */
export function promptText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replaceAll('\t', '  ')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, '');
}
