import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { CliOptions } from '../config/options.js';
import { OPTION_TABLE, UsageError } from '../config/options.js';
import type { ModeId, WorkloadId } from '../domain/modes.js';
import { MODE_IDS, MODES } from '../domain/modes.js';
import type { Detection, Runtime } from '../runtimes/types.js';
import { checkExpiry } from '../credentials/expiry.js';
import { fingerprint, newFingerprintKey } from '../credentials/fingerprint.js';
import { forwardedEnv, secretValues } from '../credentials/forward.js';
import { resolveCredential, searchedPlaces, type ResolveInput } from '../credentials/resolve.js';
import { UnavailableRuntime } from '../runtimes/unavailable.js';
import { placementLabel, type Placement } from '../domain/targets.js';
import { detectSafely } from '../runtimes/registry.js';
import { credentialProxyFor } from './credential-route.js';
import type { EngineEvent } from './events.js';
import { startSession, type Session, type SessionOptions } from './session.js';

export interface PlannedSession {
  options: SessionOptions;
  runtimes: Record<ModeId, Runtime>;
  /** The runtime of each `mode@target`, by its label. */
  targetRuntimes: Record<string, Runtime>;
  /** Requested modes that detection found missing: they still get a run, which fails with the reason. */
  unavailable: Detection[];
}

/** What a session was asked to run: what a recording keeps, so a replay shows the same choices. */
export interface LaunchPlan {
  modes: ModeId[];
  /** `mode@target` labels run after the modes; absent: none. */
  targets?: string[];
  workload: WorkloadId;
  prompt: string;
  runs: number;
  warmup: number;
}

/** A session planned and ready to start: what the recorder needs to start and record it. */
export interface Launch {
  /** Every secret value known on the host, to mask wherever text could show it. */
  secrets: string[];
  /** Requested modes that detection found missing. */
  unavailable: Detection[];
  plan: LaunchPlan;
  start(sessionId: string, emit: (event: EngineEvent) => void): Session;
}

/** Plans a session on this machine's runtimes; rejects with a message a person can act on. */
export async function planLaunch(
  cli: CliOptions,
  detections: Detection[],
  runtimes: Record<ModeId, Runtime>,
  now?: () => number,
): Promise<Launch> {
  const planned = await planSession(cli, detections, runtimes);
  return {
    secrets: planned.options.secrets,
    unavailable: planned.unavailable,
    plan: planOf(planned.options),
    start: (sessionId, emit) =>
      startSession(planned.options, { runtimes: planned.runtimes, targetRuntimes: planned.targetRuntimes, now, sessionId }, emit),
  };
}

/** The plan of a session with these options (the modes as resolved from `auto`). */
export function planOf(options: Pick<SessionOptions, 'modes' | 'remote' | 'workload' | 'prompt' | 'runs' | 'warmup'>): LaunchPlan {
  const { modes, remote, workload, prompt, runs, warmup } = options;
  return { modes, ...(remote?.length ? { targets: remote.map(placementLabel) } : {}), workload, prompt, runs, warmup };
}

/** A problem that stops the session before any container starts (e.g. an expired token). */
export class PreflightError extends Error {}

/** Turns the user's options and what detection found into the engine's plan. */
export async function planSession(
  cli: CliOptions,
  detections: Detection[],
  runtimes: Record<ModeId, Runtime>,
  where: ResolveInput = defaultResolveInput(),
): Promise<PlannedSession> {
  const byMode = new Map(detections.map((detection) => [detection.mode, detection]));
  const modes =
    cli.modes === 'auto'
      ? MODE_IDS.filter((mode) => byMode.get(mode)?.available)
      : cli.modes;
  if (modes.length === 0 && cli.targets.length === 0) {
    throw new UsageError('no isolation mode is available on this machine (see `cc-iso detect`)');
  }
  const remote = await remoteRuntimes(cli.targets);
  const workspace = cli.workspace ? await checkWorkspace(resolve(cli.workspace), modes) : null;
  const unavailable = modes
    .map((mode) => byMode.get(mode))
    .filter((detection): detection is Detection => detection !== undefined && !detection.available);
  // A mode whose proxy holds the credential needs no token; the host's is still resolved when
  // there is one, so the probe can tell whether it is readable inside.
  const needsToken =
    cli.workload === 'claude' &&
    (modes.some((mode) => MODES[mode].credential === 'environment') || cli.targets.length > 0);
  if (cli.workload === 'claude' && cli.credentialPath === 'env' && !cli.allowPlainTcp) refusePlainTcp(remote.plain);
  const credential = needsToken
    ? await claudeCredential(where, cli.timeoutMs)
    : cli.workload === 'claude'
      ? await resolveCredential(where).catch(() => null)
      : null;
  const forwarded = forwardedEnv(where.env);
  const fingerprintKey = newFingerprintKey();
  const effective = { ...runtimes };
  for (const detection of unavailable) effective[detection.mode] = new UnavailableRuntime(detection);
  return {
    runtimes: effective,
    targetRuntimes: remote.runtimes,
    unavailable: [...unavailable, ...remote.unavailable],
    options: {
      modes,
      workload: cli.workload,
      prompt: cli.prompt,
      command: cli.command,
      runs: cli.runs,
      warmup: cli.warmup,
      workspace,
      timeoutMs: cli.timeoutMs,
      image: { baseImage: cli.baseImage, claudeVersion: cli.claudeVersion },
      blockedUrl: cli.blockedUrl,
      registryUrl: cli.registryUrl,
      sequential: cli.sequential,
      credential: credential && {
        env: { [credential.variable]: credential.value },
        source: credential.source,
        fingerprints: [fingerprint(credential.value, fingerprintKey)],
      },
      fingerprintKey,
      forwardedEnv: forwarded,
      // The key is no secret of the user's, but it must never reach the results either.
      secrets: [...secretValues(where.env), fingerprintKey],
      // A Messages API on the host's loopback is only reachable from a container on the host's
      // network; with the credential forwarder, the forwarder reaches it and containers keep theirs.
      hostNetwork: cli.credentialPath === 'env' && isLoopbackUrl(forwarded.ANTHROPIC_BASE_URL),
      credentialProxy: credentialProxyFor(cli.credentialPath, credential, where.env),
      detections: {
        ...Object.fromEntries(detections.map((detection) => [detection.mode, detection])),
        ...remote.detections,
      },
      remote: cli.targets,
    },
  };
}

/**
 * One runtime per `mode@target`, detected now (its detection is handed to its prepare()): an
 * unreachable target's runs end with the reason.
 */
async function remoteRuntimes(targets: Placement[]) {
  const runtimes: Record<string, Runtime> = {};
  const detections: Record<string, Detection> = {};
  const unavailable: Detection[] = [];
  const plain: string[] = [];
  if (targets.length === 0) return { runtimes, detections, unavailable, plain };
  // Loaded only for targets: it brings execa (half the run's code) for uploads and image builds.
  const { RemoteContainerRuntime, remoteTransport } = await import('../runtimes/remote-container.js');
  await Promise.all(
    targets.map(async (placement) => {
      const label = placementLabel(placement);
      const runtime = new RemoteContainerRuntime(placement.mode, MODES[placement.mode].engine ?? 'docker', placement.target ?? '');
      const detection = await detectSafely(runtime);
      detections[label] = detection;
      if (!detection.available) {
        unavailable.push(detection);
        runtimes[label] = new UnavailableRuntime(detection);
        return;
      }
      runtimes[label] = runtime;
      if (remoteTransport(detection) === 'tcp') plain.push(label);
    }),
  );
  return { runtimes, detections, unavailable, plain };
}

/** The env path sends the token inside the engine's create request: never unencrypted unless asked. */
function refusePlainTcp(labels: string[]): void {
  if (labels.length === 0) return;
  throw new PreflightError(
    `${labels.join(', ')}: the engine is reached over plain tcp:// without TLS, and the env credential path would send the token unencrypted. ` +
      'Use TLS (DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or a Docker context with certificates) or ssh://, ' +
      'or pass --allow-plain-tcp if the network is trusted',
  );
}

/**
 * A workspace every mode can use, checked before anything starts: otherwise each run fails on its
 * own ("spawn pwd EACCES"), or a container engine misreads the path.
 */
async function checkWorkspace(workspace: string, modes: ModeId[]): Promise<string> {
  const info = await stat(workspace).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`the workspace ${workspace} does not exist or is not a folder`);
  const denied = await access(workspace, constants.R_OK | constants.W_OK | constants.X_OK).then(
    () => null,
    (error: NodeJS.ErrnoException) => error.code ?? 'no access',
  );
  if (denied) {
    throw new UsageError(
      `you (uid ${process.getuid?.() ?? '?'}) cannot read, write and enter the workspace ${workspace} (${denied}): ` +
        'choose a folder of yours, or give yourself access (chmod u+rwx)',
    );
  }
  // Container engines take `--mount` as comma-separated fields; Podman has no quoting for a comma in a path.
  const mounting = modes.filter((mode) => ['container', 'user-space-kernel'].includes(MODES[mode].isolationClass));
  if (workspace.includes(',') && mounting.length > 0) {
    throw new UsageError(`${mounting.join(' and ')} cannot mount a path with a comma (${workspace}): use a folder whose path has none`);
  }
  return workspace;
}

function defaultResolveInput(): ResolveInput {
  return { env: process.env, cwd: process.cwd(), home: homedir(), platform: process.platform };
}

/** The credential Claude runs with, checked before anything starts: missing or expiring stops here. */
async function claudeCredential(where: ResolveInput, timeoutMs: number | null) {
  const credential = await resolveCredential(where);
  if (!credential) {
    throw new PreflightError(
      `no Claude credential found (looked in ${searchedPlaces(where).join(', ')}).\n` +
        'Create a long-lived token with `claude setup-token` and set CLAUDE_CODE_OAUTH_TOKEN, or set ANTHROPIC_API_KEY. ' +
        'The probe workload needs none: --workload probe',
    );
  }
  const expiry = checkExpiry(credential, { now: Date.now(), marginMs: timeoutMs ?? 0 });
  if (!expiry.ok) throw new PreflightError(expiry.message);
  return credential;
}

function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/** A session with the usual settings for what it does not say (tests, the bench). */
export function sessionWith(overrides: Partial<SessionOptions> & Pick<SessionOptions, 'modes' | 'image'>): SessionOptions {
  return {
    workload: 'probe',
    prompt: '',
    command: [],
    runs: 1,
    warmup: 0,
    workspace: null,
    timeoutMs: 120_000,
    blockedUrl: OPTION_TABLE['blocked-url'].default,
    registryUrl: OPTION_TABLE['registry-url'].default,
    sequential: false,
    credential: null,
    fingerprintKey: newFingerprintKey(),
    forwardedEnv: {},
    secrets: [],
    hostNetwork: false,
    credentialProxy: null,
    detections: {},
    ...overrides,
  };
}
