import type { ClaudeSummary } from '../domain/results.js';
import type { ExecOutcome, ExecRequest, OutputStream } from '../runtimes/types.js';
import type { ProbeReport } from './probe.js';

/** A moment inside one command that the engine measures or acts on (monotonic ms). */
export type Moment =
  /** First sign of life inside: the probe's first line, Claude's system/init, a command's first output. */
  | { kind: 'ready'; at: number }
  /** First real output: the probe's first report, Claude's first assistant message. */
  | { kind: 'first-output'; at: number }
  /**
   * The workload's answer: the probe's last line, Claude's result event. `byExit`: the command
   * has no answer of its own, its exit is its result (so there is no exit lag to measure).
   */
  | { kind: 'result'; at: number; byExit?: boolean }
  /** The workload reports it wrote the workspace marker; the engine looks for it on the host. */
  | { kind: 'workspace-write'; at: number; ok: boolean };

/** What one line of output means: the lines a person sees for it and the moments it marks. */
export interface Reading {
  lines: string[];
  moments: Moment[];
}

/** What a workload's step adds to the run's record and findings. */
export interface Contribution {
  /** Facts the probe reported from inside. */
  probe?: ProbeReport;
  /** Claude's result (null: it ended without one) and its version. */
  claude?: { summary: ClaudeSummary | null; version: string | null };
  /** The lines each finding rests on, keyed by finding. */
  evidence?: Record<string, string>;
}

/** How a step ended, in the workload's own terms. */
export interface StepEnd {
  /** Lines to show once the process has ended. */
  lines: string[];
  moments: Moment[];
  /**
   * Why the step failed: for a non-zero exit, the workload's own words for it (null: the engine
   * says which code it exited with); for a zero exit, why that still is not a pass (null: passed).
   */
  failure: string | null;
  contribution: Contribution;
}

/** Reads one step's raw output and judges how it ended. */
export interface StepInterpreter {
  take(stream: OutputStream, text: string, at: number): Reading;
  finish(outcome: ExecOutcome, at: number): StepEnd;
}

export interface Step {
  request: ExecRequest;
  interpreter: StepInterpreter;
  /** The step the timings are measured on and the run is judged by (the workload's last). */
  measured: boolean;
  /** What to tell a person whose machine lacks the step's program. */
  installHint?: string;
}

/** The name of the marker file the probe writes into the workspace of a run. */
export function markerFileName(runId: string): string {
  return `.cc-iso-probe-${runId}`;
}
