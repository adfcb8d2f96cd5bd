import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Detection } from '../domain/detection.js';
import type { LineBuffer } from '../domain/line-buffer.js';
import type { ModeId, WorkloadId } from '../domain/modes.js';
import type { TargetDetection } from '../domain/targets.js';
import { isFinal, type ResultsFile, type RunRecord } from '../domain/results.js';
import type { LiveStatus, RunInfo } from '../engine/events.js';

export type Phase = 'detect' | 'choose' | 'run' | 'results' | 'closed';

export interface Choices {
  modes: ModeId[];
  workload: WorkloadId;
  prompt: string;
  runs: number;
}

export interface RunView {
  info: RunInfo;
  status: LiveStatus;
  step: string | null;
  /** Clock time the run left the queue, and the time it ended (final status). */
  startedAt: number | null;
  endedAt: number | null;
  record: RunRecord | null;
  /**
   * The run's own bounded output. The batcher appends each line at once (cheap, outside React);
   * screens read it only through the pane selectors (`state/panes.ts`), which show `lines`.
   */
  output: LineBuffer;
  /** Lines of `output` this state shows (its total at the last store update); newer ones wait for the next. */
  lines: number;
}

/** One pane per chosen mode; with --runs N it shows that mode's runs one after another. */
export interface PaneView {
  mode: ModeId;
  /** The engine of a `mode@target` pane (from --mode); absent or null: this machine. */
  target?: string | null;
  /** The runs of the latest session of this mode, in plan order. */
  runIds: string[];
  /** The run the header describes: the latest that left the queue, else the first. */
  currentRunId: string | null;
  /** Lines the view is scrolled up from the newest; 0 follows the output. Clamped by `clampScroll`. */
  scroll: number;
}

export type Quitting = 'no' | 'graceful' | 'forced';

export interface AppState {
  phase: Phase;
  /** Every mode, in the order the screens list them. */
  modes: ModeId[];
  /** The workloads this start can run (command only when one was given after `--`). */
  workloads: WorkloadId[];
  /** Chosen `mode@target` labels (from --mode or picked): they run after the chosen modes, each in a pane of its own. */
  targets: string[];
  /** Docker contexts and Podman connections; null while they are being detected. */
  targetDetections: TargetDetection[] | null;
  /** A mode missing here is still being detected. */
  detections: Partial<Record<ModeId, Detection>>;
  choices: Choices;
  /** The highlighted row of the choose screen. */
  cursor: number;
  /** The prompt being edited, or null. */
  draft: string | null;
  panes: PaneView[];
  runs: Record<string, RunView>;
  /** The results file of the ended sessions: what the results screen shows. */
  results: ResultsFile | null;
  focus: number;
  zoomed: boolean;
  /** Output rows of the focused pane: what PgUp/PgDn move by. */
  pageSize: number;
  help: boolean;
  /** The results screen shows each run's phases on a time axis instead of the table. */
  timeline: boolean;
  quitting: Quitting;
  /** Sessions whose runs have not all ended. */
  liveSessions: number;
  /** One line of feedback: an export written, why a key did nothing. */
  notice: string | null;
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(modes: ModeId[], workloads: WorkloadId[], choices: Choices, targets: string[] = []): AppStore {
  return createStore<AppState>()(() => ({
    phase: 'detect',
    modes,
    workloads,
    targets,
    targetDetections: null,
    detections: {},
    choices,
    cursor: 0,
    draft: null,
    panes: [],
    runs: {},
    results: null,
    focus: 0,
    zoomed: false,
    pageSize: 10,
    help: false,
    timeline: false,
    quitting: 'no',
    liveSessions: 0,
    notice: null,
  }));
}

/** Runs of the shown sessions that have not ended yet. */
export function liveRunCount(state: Pick<AppState, 'runs'>): number {
  return Object.values(state.runs).filter((run) => !isFinal(run.status)).length;
}

/** The records of every pane's latest session, in pane order: what the results show. */
export function recordsOf(state: Pick<AppState, 'panes' | 'runs'>): RunRecord[] {
  return state.panes.flatMap((pane) =>
    pane.runIds.flatMap((id) => {
      const record = state.runs[id]?.record;
      return record ? [record] : [];
    }),
  );
}
