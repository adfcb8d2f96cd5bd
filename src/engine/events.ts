import type { ModeId, WorkloadId } from '../domain/modes.js';
import type { RunRecord, RunStatus } from '../domain/results.js';

/** A run while it is alive; it ends in one of the results' statuses. */
export type LiveStatus = 'queued' | 'preparing' | 'starting' | 'running' | 'cleaning' | RunStatus;

export interface RunInfo {
  id: string;
  mode: ModeId;
  /** Another machine's engine the run goes to; absent or null: this machine. */
  target?: string | null;
  workload: WorkloadId;
  iteration: number;
  warmup: boolean;
}

/** Everything the engine tells its listeners (the interactive app's store, the headless printer). */
export type EngineEvent =
  | { type: 'run-queued'; run: RunInfo }
  | { type: 'status'; runId: string; status: LiveStatus; step: string | null; at: number }
  | { type: 'output'; runId: string; stream: 'stdout' | 'stderr' | 'cc-iso'; text: string; at: number }
  | { type: 'run-finished'; runId: string; record: RunRecord; at: number }
  | { type: 'session-finished'; records: RunRecord[]; at: number };

