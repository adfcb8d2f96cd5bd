import { join } from 'node:path';
import { formatDuration } from '../domain/duration.js';
import { runtimeName } from '../domain/detection.js';
import { isIsolated, type ModeId, type WorkloadId } from '../domain/modes.js';
import { placementLabel, targetSlug, type Placement } from '../domain/targets.js';
import type { AuthSource, RunRecord, Timings } from '../domain/results.js';
import { emptyFindings, emptyTimings } from '../domain/results.js';
import type { CredentialProxy } from '../credentials/proxy-forwarder.js';
import { redact } from '../credentials/mask.js';
import { buildStep, stepLabel } from '../domain/progress.js';
import { sanitizeLine, truncateLine } from '../domain/sanitize.js';
import type { Detection, ImageInputs, Isolation, Runtime } from '../runtimes/types.js';
import { planSteps } from '../workloads/plan.js';
import { markerFileName, type Contribution, type Moment, type Step } from '../workloads/types.js';
import type { EngineEvent, LiveStatus, RunInfo } from './events.js';
import { routeCredential, type CredentialRoute } from './credential-route.js';
import { computeFindings } from './findings.js';
import { newSessionId } from '../runtimes/ownership.js';
import { makeRunWorkspace, type RunWorkspace } from './run-workspace.js';
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
  /** The session's key for the probe's credential fingerprints (credentials/fingerprint.ts). */
  fingerprintKey: string;
  /** Claude Code settings forwarded from the host into every isolation. */
  forwardedEnv: Record<string, string>;
  /** Every secret value known on the host: masked wherever output or a message could show it. */
  secrets: string[];
  hostNetwork: boolean;
  /**
   * `--credential-path proxy`: the forwarder container runs reach instead of getting the token;
   * it listens from the first run that needs it and is closed when the session ends.
   */
  credentialProxy: CredentialProxy | null;
  /**
   * Each mode's detection (a `mode@target`'s by that label), handed to its runtime's prepare(); one
   * missing here is detected when its run starts.
   */
  detections: Partial<Record<string, Detection>>;
  /** Modes on other machines' engines (`docker@buildbox`), after the local modes in every round. */
  remote?: Placement[];
}

export interface EngineDeps {
  runtimes: Record<ModeId, Runtime>;
  /** The runtime of each remote placement, by `mode@target`. */
  targetRuntimes?: Record<string, Runtime>;
  now?: () => number;
  /** The session's id, part of every run id and container name; the recorder registers it as live. */
  sessionId?: string;
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
  const id = deps.sessionId ?? newSessionId();
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
          return await executeRun(run, options, runtimeOf(deps, run), {
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
  })().finally(async () => {
    // Every run has ended (normally, stopped or on ctrl-c): nothing may reach the credential any more.
    await options.credentialProxy?.close();
  });

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
    for (const { mode, target } of options.remote ?? []) {
      if (target === null) continue;
      runs.push({
        id: `${sessionId}-${mode}-${targetSlug(target)}-${warmup ? 'w' : ''}${iteration}`,
        mode,
        target,
        workload: options.workload,
        iteration,
        warmup,
      });
    }
  }
  return runs;
}

function runtimeOf(deps: EngineDeps, run: RunInfo): Runtime {
  if (!run.target) return deps.runtimes[run.mode];
  const label = placementLabel({ mode: run.mode, target: run.target });
  const runtime = deps.targetRuntimes?.[label];
  if (!runtime) throw new Error(`no runtime for ${label}`);
  return runtime;
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
    ...(run.target ? { target: run.target } : {}),
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

/** The first time each moment of the measured step happened, and when its process ended. */
interface Measured {
  spawnedAt: number;
  endedAt: number;
  moments: Partial<Record<Moment['kind'], Moment>>;
}

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

  const runStart = now();
  let isolation: Isolation | undefined;
  let workspace = options.workspace;
  let own: RunWorkspace | null = null;
  let sighting: Promise<MarkerSighting> | null = null;
  let measured: Measured | null = null;
  let runningAtExit: string[] = [];
  const contribution: Contribution = {};
  let route: CredentialRoute | null = null;

  try {
    if (!workspace) {
      own = await makeRunWorkspace(run.id);
      workspace = own.path;
    }
    status('preparing');
    const detection = options.detections[placementLabel({ mode: run.mode, target: run.target ?? null })] ?? (await runtime.detect());
    record.runtime = detection.available ? runtimeName(detection) : null;
    isolation = await runtime.prepare({
      runId: run.id,
      detection,
      workspace,
      image: options.image,
      adoptWorkspace: own !== null,
      hostNetwork: options.hostNetwork,
      registryUrl: options.registryUrl,
      onLine: (text) => {
        // An image build's steps show as the run's progress while it prepares.
        const building = buildStep(text);
        if (building) status('preparing', stepLabel(building));
        say(text);
      },
      signal,
    });
    context.track(isolation);
    record.timings.prepareMs = round(now() - runStart);
    if (signal.aborted) throw new StopError(context.reason());

    route = await routeCredential(isolation, options);
    const steps = planSteps({
      runId: run.id,
      workload: run.workload,
      prompt: options.prompt,
      command: options.command,
      blockedUrl: options.blockedUrl,
      registryUrl: options.registryUrl,
      credentialEnv: route.credentialEnv,
      forwardedEnv: route.forwardedEnv,
      isolated: isIsolated(run.mode),
      fingerprintKey: options.fingerprintKey,
    });
    const markerPath = join(workspace, markerFileName(run.id));
    const shipped = isolation.syncBack?.bind(isolation);
    let writtenAt: number | null = null;

    for (const step of steps) {
      if (signal.aborted) throw new StopError(context.reason());
      status('starting', step.request.step);
      const moments: Measured['moments'] = {};
      const note = (moment: Moment) => {
        if (moments[moment.kind]) return;
        moments[moment.kind] = moment;
        if (moment.kind === 'ready') status('running', step.request.step);
        if (moment.kind !== 'workspace-write' || !moment.ok) return;
        // A shipped workspace shows the file only once it is brought back (below).
        if (shipped) writtenAt = moment.at;
        else sighting = watchForMarker(markerPath, moment.at, now);
      };
      const spawnedAt = now();
      const execution = isolation.exec(step.request, {
        signal,
        onLine: (stream, text) => {
          // Masked before the interpreter shortens anything, or a cut-off token would slip through.
          const reading = step.interpreter.take(stream, redact(text, secrets), now());
          for (const line of reading.lines) say(line, stream);
          reading.moments.forEach(note);
        },
      });
      const outcome = await execution.done;
      const endedAt = now();
      if (shipped && !outcome.spawnError && !signal.aborted) {
        const lost = outcome.exitCode === 0 ? null : await isolation.lostReason?.();
        if (lost) throw new Error(lost);
        await shipped(signal);
        if (writtenAt !== null) {
          sighting = watchForMarker(markerPath, writtenAt, now);
          writtenAt = null;
        }
      }
      const end = step.interpreter.finish(outcome, endedAt);
      for (const line of end.lines) say(line);
      end.moments.forEach(note);
      Object.assign(contribution, end.contribution, {
        evidence: { ...contribution.evidence, ...end.contribution.evidence },
      });
      if (outcome.spawnError) throw new Error(spawnFailure(step, outcome.spawnError));
      if (signal.aborted) throw new StopError(context.reason());
      record.exitCode = outcome.exitCode;
      if (step.measured) {
        measured = { spawnedAt, endedAt, moments };
        runningAtExit = await isolation.runningAfterExit();
      }
      if (outcome.exitCode !== 0) {
        record.status = 'failed';
        record.error = end.failure ?? `${step.request.step} exited with ${outcome.exitCode ?? outcome.signal}`;
        break;
      }
      if (step.measured) {
        record.status = end.failure === null ? 'passed' : 'failed';
        record.error = end.failure;
      }
    }
  } catch (error) {
    if (error instanceof StopError || signal.aborted) {
      record.status = context.reason();
      record.error = record.status === 'timeout' ? `stopped after the ${formatDuration(options.timeoutMs)} timeout` : 'stopped by the user';
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
    await own?.remove().catch(() => {});
    record.timings.cleanupMs = round(now() - cleanupStart);
    const marker = sighting ? await (sighting as Promise<MarkerSighting>).catch(() => null) : null;
    fillTimings(record.timings, measured);
    if (isolation?.shipping) fillShipping(record, isolation);
    const result = measured?.moments.result;
    record.claude = contribution.claude?.summary ?? null;
    record.claudeVersion = contribution.claude?.version ?? null;
    record.findings = computeFindings({
      probe: contribution.probe ?? null,
      marker,
      secretFingerprints: options.credential?.fingerprints ?? [],
      exitLagMs: record.timings.exitLagMs,
      resultSeen: result !== undefined && !(result.kind === 'result' && result.byExit),
      leftovers,
      claude: contribution.claude ? { isError: contribution.claude.summary?.isError ?? true } : null,
      authSource: route?.authSource ?? (isolation?.credentialPath === 'proxy' ? 'sandbox-proxy' : (options.credential?.source ?? null)),
      hostKernel: isolation?.engineKernel,
    });
    record.evidence = Object.fromEntries(
      Object.entries(contribution.evidence ?? {}).map(([key, line]) => [key, clean(line)]),
    );
    if (runningAtExit.length > 0) record.evidence['still-running-after-exit'] = runningAtExit.join(', ');
    if (route?.note) record.evidence['credential-path'] = route.note;
    else if (isolation?.credentialNote && route?.credentialEnv && Object.keys(route.credentialEnv).length > 0) {
      record.evidence['credential-path'] = isolation.credentialNote;
    }
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

/** A command that could not start at all, in words a person can act on. */
function spawnFailure(step: Step, message: string): string {
  if (!/ENOENT/.test(message)) return message;
  const program = step.request.argv[0] ?? '';
  return `\`${program}\` is not installed here${step.installHint ? `: ${step.installHint}` : ''}`;
}

/** Remote targets: the shipping phases, bytes moved, the round trip and startup net of it. */
function fillShipping(record: RunRecord, isolation: Isolation): void {
  const { upload, download } = isolation.shipping ?? { upload: null, download: null };
  record.timings.uploadMs = upload ? round(upload.ms) : null;
  record.timings.downloadMs = download ? round(download.ms) : null;
  record.transfer = { uploadBytes: upload?.bytes ?? null, downloadBytes: download?.bytes ?? null };
  record.rttMs = isolation.rttMs ?? null;
  const startup = record.timings.startupMs;
  record.timings.startupNetMs = startup !== null && record.rttMs !== null ? round(Math.max(0, startup - record.rttMs)) : null;
}

function fillTimings(timings: Timings, measured: Measured | null): void {
  if (!measured) return;
  const { spawnedAt, endedAt, moments } = measured;
  const since = (moment: Moment | undefined) => (moment === undefined ? null : round(moment.at - spawnedAt));
  timings.startupMs = since(moments.ready);
  timings.firstOutputMs = since(moments['first-output']);
  timings.resultMs = since(moments.result);
  const result = moments.result;
  timings.exitLagMs = result === undefined || (result.kind === 'result' && result.byExit) ? null : round(endedAt - result.at);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

class StopError extends Error {
  constructor(readonly reason: StopReason) {
    super(reason);
  }
}
