import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModeId, WorkloadId } from '../domain/modes.js';
import type { AuthSource, RunRecord, Timings } from '../domain/results.js';
import { emptyFindings, emptyTimings } from '../domain/results.js';
import { withoutSecrets } from '../credentials/forward.js';
import { redact } from '../credentials/mask.js';
import { sanitizeLine, truncateLine } from '../domain/sanitize.js';
import type { Detection, ImageInputs, Isolation, Runtime } from '../runtimes/types.js';
import { planSteps, type StepSpec } from '../workloads/plan.js';
import { ClaudeInterpreter } from '../workloads/claude.js';
import { ProbeInterpreter, type ProbeReport } from '../workloads/probe.js';
import type { EngineEvent, LiveStatus, RunInfo } from './events.js';
import { computeFindings } from './findings.js';
import { registerLiveSession } from './live-sessions.js';
import { watchForMarker, type MarkerSighting } from './workspace-check.js';

export interface SessionOptions {
  modes: ModeId[];
  workload: WorkloadId;
  prompt: string;
  /** The command of the `command` workload. */
  command: string[];
  runs: number;
  warmup: number;
  /** Shared with every run; null: a fresh temporary folder per run. */
  workspace: string | null;
  timeoutMs: number | null;
  image: ImageInputs;
  blockedUrl: string;
  registryUrl: string;
  /** Run the modes of a round one after another instead of side by side. */
  sequential: boolean;
  /** Variables carrying the resolved credential into each isolation, and where it came from. */
  credential: { env: Record<string, string>; source: AuthSource; fingerprints: string[] } | null;
  /** Claude Code settings forwarded from the host into every isolation. */
  forwardedEnv: Record<string, string>;
  /** Every secret value known on the host: masked wherever output or a message could show it. */
  secrets: string[];
  hostNetwork: boolean;
  /** What runs each mode ("Docker Engine 20.10.24"), from detection, for the records. */
  runtimeNames: Partial<Record<ModeId, string>>;
  /** Each mode's detection, handed to its runtime's prepare(); a mode missing here is detected when its run starts. */
  detections: Partial<Record<ModeId, Detection>>;
}

export interface EngineDeps {
  runtimes: Record<ModeId, Runtime>;
  now?: () => number;
}

export interface Session {
  readonly id: string;
  readonly runs: RunInfo[];
  /** Settles with every finished run's record, in plan order; never rejects. */
  readonly done: Promise<RunRecord[]>;
  /** Stops one run: terminate, kill after the grace period, remove its containers. */
  stop(runId: string): void;
  /** Stops every run; the remaining plan is not started. */
  stopAll(): void;
  /** Second press of quit: removes every live container/sandbox at once, without the grace period. */
  forceStopAll(): Promise<void>;
}

type StopReason = 'cancelled' | 'timeout';

/**
 * Plans the runs (warm-ups first, then measured rounds; each round has every mode once, so modes
 * alternate run by run), executes them and reports everything through `emit`.
 */
export function startSession(options: SessionOptions, deps: EngineDeps, emit: (event: EngineEvent) => void): Session {
  const now = deps.now ?? performance.now.bind(performance);
  const { id, unregister } = registerLiveSession();
  const runs = planRuns(id, options);
  const controllers = new Map(runs.map((run) => [run.id, new AbortController()]));
  const reasons = new Map<string, StopReason>();
  const live = new Map<string, Isolation>();
  let stopping = false;

  for (const run of runs) emit({ type: 'run-queued', run });

  const stop = (runId: string, reason: StopReason) => {
    const controller = controllers.get(runId);
    if (!controller || controller.signal.aborted) return;
    reasons.set(runId, reason);
    controller.abort(reason);
  };

  const done = (async () => {
    const records: RunRecord[] = [];
    const rounds = groupByRound(runs);
    for (const round of rounds) {
      const execute = async (run: RunInfo) => {
        const controller = controllers.get(run.id)!;
        if (stopping) reasons.set(run.id, 'cancelled');
        if (stopping || controller.signal.aborted) {
          return finishUnstarted(run, reasons.get(run.id) ?? 'cancelled');
        }
        const timer =
          options.timeoutMs === null ? undefined : setTimeout(() => stop(run.id, 'timeout'), options.timeoutMs);
        try {
          return await executeRun(run, options, deps.runtimes[run.mode], {
            signal: controller.signal,
            reason: () => reasons.get(run.id) ?? 'cancelled',
            now,
            emit,
            track: (isolation) => (isolation ? live.set(run.id, isolation) : live.delete(run.id)),
          });
        } finally {
          clearTimeout(timer);
        }
      };
      const finished = options.sequential
        ? await sequentially(round, execute)
        : await Promise.all(round.map(execute));
      records.push(...finished);
    }
    emit({ type: 'session-finished', records, at: now() });
    return records;
  })().finally(unregister);

  const finishUnstarted = (run: RunInfo, reason: StopReason): RunRecord => {
    const record = newRecord(run);
    record.status = reason;
    record.error = 'stopped before it started';
    emit({ type: 'status', runId: run.id, status: record.status, step: null, at: now() });
    emit({ type: 'run-finished', runId: run.id, record, at: now() });
    return record;
  };

  return {
    id,
    runs,
    done,
    stop: (runId) => stop(runId, 'cancelled'),
    stopAll: () => {
      stopping = true;
      for (const run of runs) stop(run.id, 'cancelled');
    },
    forceStopAll: async () => {
      stopping = true;
      for (const run of runs) stop(run.id, 'cancelled');
      await Promise.all([...live.values()].map((isolation) => isolation.dispose()));
    },
  };
}

function planRuns(sessionId: string, options: SessionOptions): RunInfo[] {
  const runs: RunInfo[] = [];
  const total = options.warmup + options.runs;
  for (let round = 0; round < total; round++) {
    const warmup = round < options.warmup;
    const iteration = warmup ? round + 1 : round - options.warmup + 1;
    for (const mode of options.modes) {
      runs.push({
        id: `${sessionId}-${mode}-${warmup ? 'w' : ''}${iteration}`,
        mode,
        workload: options.workload,
        iteration,
        warmup,
      });
    }
  }
  return runs;
}

function groupByRound(runs: RunInfo[]): RunInfo[][] {
  const rounds = new Map<string, RunInfo[]>();
  for (const run of runs) {
    const key = `${run.warmup}-${run.iteration}`;
    rounds.set(key, [...(rounds.get(key) ?? []), run]);
  }
  return [...rounds.values()];
}

async function sequentially<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await fn(item));
  return results;
}

/** A run's record before anything is known: status 'error' until the run says otherwise. */
export function newRecord(run: RunInfo): RunRecord {
  return {
    id: run.id,
    mode: run.mode,
    workload: run.workload,
    iteration: run.iteration,
    warmup: run.warmup,
    status: 'error',
    exitCode: null,
    runtime: null,
    claudeVersion: null,
    startedAt: new Date().toISOString(),
    timings: emptyTimings(),
    findings: emptyFindings(),
    claude: null,
    evidence: {},
    error: null,
  };
}

interface RunContext {
  signal: AbortSignal;
  reason(): StopReason;
  now(): number;
  emit(event: EngineEvent): void;
  /** Tells the session which isolation is live, so a forced stop can remove it. */
  track(isolation: Isolation | null): void;
}

const MAX_LINE = 2000;

async function executeRun(run: RunInfo, options: SessionOptions, runtime: Runtime, context: RunContext): Promise<RunRecord> {
  const { now, emit, signal } = context;
  const record = newRecord(run);
  const status = (value: LiveStatus, step: string | null = null) =>
    emit({ type: 'status', runId: run.id, status: value, step, at: now() });
  // Output from inside is untrusted: control sequences go, and a secret never reaches a screen.
  const secrets = [...options.secrets, ...Object.values(options.credential?.env ?? {})];
  const clean = (text: string) => truncateLine(redact(sanitizeLine(text), secrets), MAX_LINE);
  const say = (text: string, stream: 'stdout' | 'stderr' | 'cc-iso' = 'cc-iso') =>
    emit({ type: 'output', runId: run.id, stream, text: clean(text), at: now() });

  record.runtime = options.runtimeNames[run.mode] ?? null;
  const runStart = now();
  let isolation: Isolation | undefined;
  let workspace = options.workspace;
  let ownWorkspace = false;
  let probe: ProbeReport | null = null;
  // Assigned from the probe's callback, hence a holder rather than a plain variable.
  const marker: { pending: Promise<MarkerSighting> | null } = { pending: null };
  let measured: { spawnedAt: number; endedAt: number; marks: StepSpec['interpreter']['marks'] } | null = null;
  let runningAtExit: string[] = [];
  let claudeError: string | null = null;
  const claudeEvidence: Record<string, string> = {};

  try {
    if (!workspace) {
      workspace = await mkdtemp(join(tmpdir(), `cc-iso-${run.id}-`));
      ownWorkspace = true;
    }
    status('preparing');
    isolation = await runtime.prepare({
      runId: run.id,
      detection: options.detections[run.mode] ?? (await runtime.detect()),
      workspace,
      image: options.image,
      adoptWorkspace: ownWorkspace,
      hostNetwork: options.hostNetwork,
      onLine: (text) => say(text),
      signal,
    });
    context.track(isolation);
    record.timings.prepareMs = round(now() - runStart);
    if (signal.aborted) throw new StopError(context.reason());

    const markerName = `.cc-iso-probe-${run.id}`;
    const hostWorkspace = workspace;
    const steps = planSteps({
      runId: run.id,
      mode: run.mode,
      workload: run.workload,
      prompt: options.prompt,
      command: options.command,
      blockedUrl: options.blockedUrl,
      registryUrl: options.registryUrl,
      markerName,
      credentialEnv: isolation.credentialPath === 'environment' ? (options.credential?.env ?? {}) : {},
      // A proxy-credentialed isolation (a sandbox) gets no secret at all, forwarded or resolved.
      forwardedEnv: isolation.credentialPath === 'environment' ? options.forwardedEnv : withoutSecrets(options.forwardedEnv),
      isolated: run.mode !== 'host',
      onMarker: (ok, at) => {
        if (ok) marker.pending = watchForMarker(join(hostWorkspace, markerName), at, now);
      },
    });

    for (const step of steps) {
      if (signal.aborted) throw new StopError(context.reason());
      status('starting', step.request.step);
      const interpreter = step.interpreter;
      let live = false;
      const spawnedAt = now();
      const execution = isolation.exec(step.request, {
        signal,
        onLine: (stream, text) => {
          const at = now();
          // Masked before the interpreter shortens anything, or a cut-off token would slip through.
          for (const line of interpreter.take(stream, redact(text, secrets), at)) say(line, stream);
          if (!live && interpreter.marks.ready !== null) {
            live = true;
            status('running', step.request.step);
          }
        },
      });
      const outcome = await execution.done;
      const endedAt = now();
      for (const line of interpreter.finish()) say(line);
      if (interpreter instanceof ProbeInterpreter) probe = interpreter.report;
      if (interpreter instanceof ClaudeInterpreter) {
        record.claude = interpreter.summary;
        record.claudeVersion = interpreter.version;
        claudeError = interpreter.errorText;
        Object.assign(claudeEvidence, interpreter.evidence);
      }
      if (outcome.spawnError) throw new Error(spawnFailure(step.request.argv[0] ?? '', outcome.spawnError));
      if (signal.aborted) throw new StopError(context.reason());
      record.exitCode = outcome.exitCode;
      if (step.measured) {
        measured = { spawnedAt, endedAt, marks: interpreter.marks };
        runningAtExit = await isolation.runningAfterExit();
      }
      if (outcome.exitCode !== 0) {
        record.status = 'failed';
        record.error = claudeError ?? `${step.request.step} exited with ${outcome.exitCode ?? outcome.signal}`;
        break;
      }
    }
    if (record.error === null) {
      const verdict = judge(run.workload, probe, record.claude, claudeError);
      record.status = verdict === null ? 'passed' : 'failed';
      record.error = verdict;
    }
  } catch (error) {
    if (error instanceof StopError || signal.aborted) {
      record.status = context.reason();
      record.error = record.status === 'timeout' ? `stopped after the ${options.timeoutMs} ms timeout` : 'stopped by the user';
    } else {
      record.status = 'error';
      record.error = error instanceof Error ? error.message : String(error);
    }
  } finally {
    record.timings.totalMs = round(now() - runStart);
    status('cleaning');
    const cleanupStart = now();
    if (isolation) await isolation.dispose();
    context.track(null);
    const leftovers = isolation ? await isolation.leftovers() : [];
    if (ownWorkspace && workspace) await rm(workspace, { recursive: true, force: true }).catch(() => {});
    record.timings.cleanupMs = round(now() - cleanupStart);
    const sighting = marker.pending ? await marker.pending.catch(() => null) : null;
    fillTimings(record.timings, measured, run.workload);
    record.findings = computeFindings({
      mode: run.mode,
      probe,
      marker: sighting,
      secretFingerprints: options.credential?.fingerprints ?? [],
      exitLagMs: record.timings.exitLagMs,
      resultSeen: measured?.marks.result !== null && measured !== null,
      leftovers,
      claude: run.workload === 'claude' ? { isError: record.claude?.isError ?? true } : null,
      authSource: isolation?.credentialPath === 'proxy' ? 'sandbox-proxy' : (options.credential?.source ?? null),
    });
    record.evidence = Object.fromEntries(
      Object.entries({ ...(probe?.evidence ?? {}), ...claudeEvidence }).map(([key, line]) => [key, clean(line)]),
    );
    if (runningAtExit.length > 0) record.evidence['still-running-after-exit'] = runningAtExit.join(', ');
    if (leftovers.length > 0 && record.status === 'passed') {
      record.status = 'failed';
      record.error = `left behind after cleanup: ${leftovers.join(', ')}`;
    }
  }
  // Errors can carry text from inside (Claude's message, sbx output): the same cleaning as output.
  if (record.error) record.error = clean(record.error);
  if (isolation?.networkNote) record.evidence.network = isolation.networkNote;
  status(record.status);
  if (record.error) say(`${record.status}: ${record.error}`);
  emit({ type: 'run-finished', runId: run.id, record, at: now() });
  return record;
}

/** Why a run that exited 0 still failed, or null when it passed. */
function judge(
  workload: WorkloadId,
  probe: ProbeReport | null,
  claude: RunRecord['claude'],
  claudeError: string | null,
): string | null {
  if (workload === 'claude') {
    // Claude exits 0 on ctrl-c too, so only a result event with is_error false is a pass.
    if (!claude) return 'claude ended without a result event';
    return claude.isError ? (claudeError ?? 'claude reported an error') : null;
  }
  if (workload !== 'probe') return null;
  if (!probe?.done) return 'the probe did not finish';
  if (!probe.marker?.ok) return `the workspace is not writable inside (${probe.marker?.detail ?? 'no report'})`;
  return null;
}

/** A command that could not start at all, in words a person can act on. */
function spawnFailure(program: string, message: string): string {
  if (!/ENOENT/.test(message)) return message;
  const hint = program === 'claude' ? ': install it with `npm install -g @anthropic-ai/claude-code`, or use a container mode' : '';
  return `\`${program}\` is not installed here${hint}`;
}

function fillTimings(
  timings: Timings,
  measured: { spawnedAt: number; endedAt: number; marks: StepSpec['interpreter']['marks'] } | null,
  workload: WorkloadId,
): void {
  if (!measured) return;
  const { spawnedAt, endedAt, marks } = measured;
  const since = (at: number | null) => (at === null ? null : round(at - spawnedAt));
  timings.startupMs = since(marks.ready);
  timings.firstOutputMs = since(marks.firstOutput);
  // A command's result is its exit; the probe and Claude have one only if they reported it.
  timings.resultMs = since(marks.result ?? (workload === 'command' ? endedAt : null));
  timings.exitLagMs = marks.result === null ? null : round(endedAt - marks.result);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

class StopError extends Error {
  constructor(readonly reason: StopReason) {
    super(reason);
  }
}
