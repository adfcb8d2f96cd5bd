import type { ModeId, WorkloadId } from './modes.js';

/** The results schema (`--json`, schemaVersion 1). The one definition: exporters and the app read it. */
export const SCHEMA_VERSION = 1;

export const RUN_STATUSES = ['passed', 'failed', 'error', 'timeout', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run has ended once its status is one a record can have (a live run also queues, prepares…). */
export function isFinal(status: string): status is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(status);
}

/** Milliseconds on a monotonic clock; null where a phase does not apply or was not reached. */
export interface Timings {
  prepareMs: number | null;
  startupMs: number | null;
  firstOutputMs: number | null;
  resultMs: number | null;
  exitLagMs: number | null;
  totalMs: number | null;
  cleanupMs: number | null;
  /** Remote targets: startup minus one round trip to the engine, so distance is not counted as overhead. */
  startupNetMs?: number | null;
  /** Remote targets: shipping the workspace to the engine, and back after the run. */
  uploadMs?: number | null;
  downloadMs?: number | null;
}

export type AuthSource =
  | 'env:CLAUDE_CODE_OAUTH_TOKEN'
  | 'env:ANTHROPIC_API_KEY'
  | 'dotenv'
  | 'credentials-file'
  | 'keychain'
  /** Docker Sandboxes' proxy injects the secret stored in the sandbox tool. */
  | 'sandbox-proxy'
  /** `--credential-path proxy`: the isolation had a placeholder; cc-iso's forwarder added the resolved credential. */
  | 'cc-iso-proxy'
  | 'none';

export interface Findings {
  /** Did `-p` produce a result event with is_error false? null for workloads without Claude. */
  headless: boolean | null;
  /** Did the process exit promptly after its result and leave nothing behind? */
  cleanExit: boolean | null;
  /** Containers/sandboxes of this run still present after cleanup (names). */
  leftovers: string[];
  auth: { source: AuthSource | null; ok: boolean | null };
  workspaceSync: { ok: boolean | null; latencyMs: number | null; owner: string | null };
  /** blockedBy: a proxy refused the blocked host (policy), or nothing answered (no route). */
  network: { registry: boolean | null; blockedHost: 'blocked' | 'reachable' | null; blockedBy: 'policy' | 'no-route' | null };
  /** Is the resolved credential readable inside the isolation? null when there was none to look for. */
  credentialExposed: boolean | null;
  kernel: { inside: string | null; isolated: boolean | null };
}

export interface ClaudeSummary {
  numTurns: number | null;
  durationMs: number | null;
  durationApiMs: number | null;
  totalCostUsd: number | null;
  isError: boolean;
}

export interface RunRecord {
  id: string;
  mode: ModeId;
  /** The engine it ran on: a Docker context, Podman connection or engine URL; absent or null: this machine. */
  target?: string | null;
  /** Remote targets: one round trip to the engine (ms), and the workspace bytes shipped each way. */
  rttMs?: number | null;
  transfer?: { uploadBytes: number | null; downloadBytes: number | null } | null;
  workload: WorkloadId;
  iteration: number;
  warmup: boolean;
  status: RunStatus;
  exitCode: number | null;
  /** What ran the isolation: engine name and version, e.g. "Docker Engine 20.10.24". */
  runtime: string | null;
  /** The Claude Code version that ran (from its init event); null for other workloads. */
  claudeVersion: string | null;
  startedAt: string;
  timings: Timings;
  findings: Findings;
  claude: ClaudeSummary | null;
  /** Where each finding came from: the probe line or event. */
  evidence: Record<string, string>;
  error: string | null;
}

export interface Statistic {
  n: number;
  mean: number | null;
  stddev: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
}

export interface ModeSummary {
  mode: ModeId;
  /** Statistics are per mode and target; absent or null: this machine. */
  target?: string | null;
  /** Remote targets: startup net of one round trip to the engine. */
  startupNetMs?: Statistic;
  runs: number;
  passed: number;
  failed: number;
  startupMs: Statistic;
  firstOutputMs: Statistic;
  totalMs: Statistic;
  exitLagMs: Statistic;
  /** Startup relative to host: ratio ± propagated σ, and the difference of means. */
  startupVsHost: { ratio: number; ratioStddev: number | null; deltaMs: number } | null;
  outliers: number[];
  warnings: string[];
  recommendation: string;
}

export interface ResultsFile {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'cc-iso'; version: string };
  startedAt: string;
  finishedAt: string | null;
  command: string;
  host: { os: string; arch: string; kernel: string; user: string };
  runtimes: Record<string, string | null>;
  runs: RunRecord[];
  summary: ModeSummary[];
  recommendation: string | null;
}

export function emptyTimings(): Timings {
  return {
    prepareMs: null,
    startupMs: null,
    firstOutputMs: null,
    resultMs: null,
    exitLagMs: null,
    totalMs: null,
    cleanupMs: null,
  };
}

export function emptyFindings(): Findings {
  return {
    headless: null,
    cleanExit: null,
    leftovers: [],
    auth: { source: null, ok: null },
    workspaceSync: { ok: null, latencyMs: null, owner: null },
    network: { registry: null, blockedHost: null, blockedBy: null },
    credentialExposed: null,
    kernel: { inside: null, isolated: null },
  };
}
