import type { ModeId } from '../domain/modes.js';
import { placementLabel, type TargetTransport } from '../domain/targets.js';
import { callProcess } from './cli-call.js';
import { WORKSPACE_INSIDE } from './container-argv.js';
import { listContainers, removeContainers, stopContainer } from './container-list.js';
import { planImage } from './image.js';
import { OWNER_LABEL, RUN_LABEL, containerName, isOwnContainer, ownerLabels, parseOwner } from './ownership.js';
import { probeEndpoint, resolveEndpoint, type EngineCli, type EngineEndpoint } from './remote-engine.js';
import type { OciRuntimeEntry } from './container-detect.js';
import { findRunscRuntime, gvisorNetwork } from './gvisor.js';
import { ensureImageOn } from './remote-image.js';
import { spawnLines } from './spawn-lines.js';
import type { Detection, ExecIO, ExecRequest, Execution, InUse, Isolation, PrepareOptions, Runtime, WorkspaceShipping } from './types.js';
import { downloadFolder, uploadFolder, type Transfer } from './workspace-sync.js';

/** The image's user (`node`): the shipped workspace is handed to it. */
const IMAGE_USER = { uid: 1000, gid: 1000 };

/** What detecting a target hands prepare(): how to reach its engine, and one round trip to it. */
export interface RemoteFacts {
  endpoint: EngineEndpoint;
  rttMs: number | null;
  /** The kernel of the target's machine, as its engine reports it. */
  kernel: string | null;
  /** gvisor@target: the `--runtime` that selects runsc there, and the network runsc is set to. */
  ociRuntime: { runArgs: string[]; networkNote: string } | null;
}

/** How a detected target's engine is reached (which decides whether a credential may travel). */
export function remoteTransport(detection: Detection): TargetTransport | null {
  return (detection.facts as RemoteFacts | undefined)?.endpoint.transport ?? null;
}

/** Short engine calls in their own process group, so a ctrl-c meant for cc-iso does not cut them short. */
function engineCall(endpoint: EngineEndpoint, args: string[], timeoutMs = 30_000) {
  return callProcess(endpoint.engine, [...endpoint.args, ...args], { timeoutMs, detached: true });
}

/**
 * A container mode on another machine's engine (`docker@buildbox`). The workspace cannot be
 * bind-mounted there: it is shipped into a volume before the run and brought back after it.
 */
export class RemoteContainerRuntime implements Runtime<RemoteFacts> {
  constructor(
    readonly mode: ModeId,
    readonly engine: EngineCli,
    readonly target: string,
  ) {}

  async detect(): Promise<Detection<RemoteFacts>> {
    const endpoint = await resolveEndpoint(this.engine, this.target);
    const found = await probeEndpoint(endpoint);
    const label = placementLabel({ mode: this.mode, target: this.target });
    const engineName = `${this.engine === 'docker' ? 'Docker Engine' : 'Podman'} on ${this.target}`;
    const detection: Detection<RemoteFacts> = {
      mode: this.mode, available: found.reachable, version: found.version,
      runtime: found.reachable ? engineName : null,
      details: found.reachable
        ? [`${found.transport}`, `${found.os ?? '?'}/${found.arch ?? '?'}`, `kernel ${found.kernel ?? '?'}`, `round trip ${found.rttMs} ms`]
        : [],
      reason: found.reachable ? null : `${label}: ${found.reason}`,
      fix: found.fix,
      facts: { endpoint, rttMs: found.rttMs, kernel: found.kernel, ociRuntime: null },
    };
    if (!found.reachable || this.mode !== 'gvisor') return detection;
    // gvisor@target: the same container under the runsc that the target's Docker has registered.
    const info = await engineCall(endpoint, ['info', '--format', '{{json .Runtimes}}'], 15_000);
    const runtimes = info.exitCode === 0 ? (parseJson(info.stdout) as Record<string, OciRuntimeEntry> | null) : null;
    const runsc = runtimes ? findRunscRuntime(runtimes) : null;
    if (!runsc) {
      return {
        ...detection, available: false, runtime: null, details: [],
        reason: `${label}: the Docker engine on ${this.target} has no runsc (gVisor) runtime registered`,
        fix: `on that machine install runsc and add {"runtimes":{"runsc":{"path":"/usr/bin/runsc"}}} to /etc/docker/daemon.json, then reload Docker`,
      };
    }
    const network = gvisorNetwork(runsc.entry.runtimeArgs ?? []);
    return {
      ...detection,
      runtime: `${engineName} + gVisor runsc`,
      details: [...detection.details, `Docker runtime "${runsc.name}"`, network],
      facts: { ...detection.facts!, ociRuntime: { runArgs: ['--runtime', runsc.name], networkNote: `gVisor: ${network}` } },
    };
  }

  async prepare(options: PrepareOptions<RemoteFacts>): Promise<Isolation> {
    const { detection } = options;
    const facts = detection.facts;
    if (!detection.available || !facts) throw new Error(`${this.target} is unreachable: ${detection.reason ?? 'not detected'}`);
    if (options.hostNetwork) {
      throw new Error(
        `ANTHROPIC_BASE_URL points at this machine's loopback, which a container on ${this.target} cannot reach. ` +
          'Serve the API on an address the target can reach and set ANTHROPIC_BASE_URL to it (or drop it to use the real API).',
      );
    }
    const plan = planImage(options.image);
    await ensureImageOn(facts.endpoint, plan, options.onLine, options.signal);
    const isolation = new RemoteContainerIsolation(facts, plan.tag, options);
    try {
      await isolation.ship(options.signal);
    } catch (error) {
      await isolation.dispose();
      throw error;
    }
    return isolation;
  }

  /** Containers and workspace volumes with cc-iso's run label and exact name, unless a live process owns them. */
  async clean(inUse: InUse): Promise<string[]> {
    const endpoint = await resolveEndpoint(this.engine, this.target);
    const listed = await listContainers(this.engine, null, RUN_LABEL, endpoint.args);
    if (listed === null) throw new Error(`${this.target} does not answer; run clean again once it is back`);
    const containers = listed
      .filter((entry) => isOwnContainer(entry.name, entry.run) && !inUse(entry.name, parseOwner(entry.owner)))
      .map((entry) => entry.name);
    await removeContainers(this.engine, containers, endpoint.args);
    const volumes = ((await listVolumes(endpoint, RUN_LABEL)) ?? [])
      .filter((entry) => isOwnContainer(entry.name, entry.run) && !inUse(entry.name, parseOwner(entry.owner)))
      .map((entry) => entry.name);
    if (volumes.length > 0) await engineCall(endpoint, ['volume', 'rm', '--force', ...volumes]);
    return [...containers, ...volumes.map((name) => `volume ${name}`)];
  }
}

class RemoteContainerIsolation implements Isolation {
  readonly credentialPath = 'environment' as const;
  readonly workspaceInside = WORKSPACE_INSIDE;
  readonly networkNote: string;
  readonly shipping: WorkspaceShipping = { upload: null, download: null };
  private readonly names = new Set<string>();
  private readonly volume: string;
  private readonly holder: string;

  private readonly endpoint: EngineEndpoint;
  private readonly runArgs: string[];
  readonly rttMs: number | null;
  readonly engineKernel: string | null;

  constructor(
    facts: RemoteFacts,
    private readonly image: string,
    private readonly options: PrepareOptions<RemoteFacts>,
  ) {
    this.endpoint = facts.endpoint;
    this.rttMs = facts.rttMs;
    this.engineKernel = facts.kernel;
    this.runArgs = facts.ociRuntime?.runArgs ?? [];
    this.volume = containerName(options.runId, 'workspace');
    this.holder = containerName(options.runId, 'sync');
    this.networkNote = [facts.ociRuntime?.networkNote, `engine on ${this.endpoint.target} over ${this.endpoint.transport}; the workspace is shipped, not shared`]
      .filter(Boolean)
      .join('; ');
  }

  /** What the credential's journey to this target looks like, for the report. */
  get credentialNote(): string {
    const wire = this.endpoint.transport === 'tcp' ? 'plain TCP (unencrypted)' : this.endpoint.transport;
    return `env path: the token travels to ${this.endpoint.target} inside the engine's create request over ${wire}`;
  }

  /** Volume + a stopped holder container to copy through, then the workspace as a tar stream. */
  async ship(signal: AbortSignal): Promise<void> {
    const labels = ownerLabels(this.options.runId);
    const made = await engineCall(this.endpoint, ['volume', 'create', ...labels, this.volume]);
    if (made.exitCode !== 0) throw new Error(`creating the workspace volume on ${this.endpoint.target} failed: ${made.stderr.trim()}`);
    this.names.add(this.holder);
    const holder = await engineCall(this.endpoint, [
      'create', '--name', this.holder, ...labels, '--volume', `${this.volume}:${WORKSPACE_INSIDE}`, this.image, 'true',
    ]);
    if (holder.exitCode !== 0) throw new Error(`creating the sync container on ${this.endpoint.target} failed: ${holder.stderr.trim()}`);
    const { engine, args } = this.endpoint;
    this.shipping.upload = await uploadFolder(engine, args, this.options.workspace, this.holder, WORKSPACE_INSIDE, IMAGE_USER, signal);
    this.options.onLine(`workspace uploaded to ${this.endpoint.target}: ${this.shipping.upload.bytes} bytes in ${Math.round(this.shipping.upload.ms)} ms`);
  }

  /** Brings the workspace back after a step; the last download is what the record reports. */
  async syncBack(signal: AbortSignal): Promise<Transfer> {
    const transfer = await downloadFolder(this.endpoint.engine, this.endpoint.args, this.holder, WORKSPACE_INSIDE, this.options.workspace, signal);
    this.shipping.download = transfer;
    return transfer;
  }

  async lostReason(): Promise<string | null> {
    const answer = await engineCall(this.endpoint, ['version', '--format', '{{.Server.Version}}'], 10_000);
    if (answer.exitCode === 0) return null;
    const why = answer.timedOut ? 'no answer within 10 s' : answer.stderr.trim().split('\n').at(-1) || `exit ${answer.exitCode}`;
    return `the engine on ${this.endpoint.target} went away during the run: ${why}`;
  }

  exec(request: ExecRequest, io: ExecIO): Execution {
    const { engine, args } = this.endpoint;
    const name = containerName(this.options.runId, request.step);
    this.names.add(name);
    // `--env NAME` without a value: the CLI reads it from our child's environment and sends it
    // inside the create request over the connection; never on an argument list.
    const envFlags = Object.keys(request.env).flatMap((key) => ['--env', key]);
    return spawnLines(engine, [
      ...args, 'run', '--rm', '--init', '--name', name, ...ownerLabels(this.options.runId), ...this.runArgs,
      '--volume', `${this.volume}:${WORKSPACE_INSIDE}`,
      '--workdir', WORKSPACE_INSIDE,
      ...envFlags, this.image, ...request.argv,
    ], {
      env: request.env,
      onLine: io.onLine,
      signal: io.signal,
      stop: () => stopContainer(engine, name, args),
    });
  }

  /** When the target cannot list, everything this run made counts as possibly left. */
  async leftovers(): Promise<string[]> {
    const label = `${RUN_LABEL}=${this.options.runId}`;
    const containers = (await listContainers(this.endpoint.engine, null, label, this.endpoint.args))?.map((entry) => entry.name) ?? [...this.names];
    const volumes = (await listVolumes(this.endpoint, label))?.map((entry) => entry.name) ?? [this.volume];
    return [...containers, ...volumes.map((name) => `volume ${name}`)];
  }

  async runningAfterExit(): Promise<string[]> {
    const listed = await listContainers(this.endpoint.engine, null, `${RUN_LABEL}=${this.options.runId}`, this.endpoint.args);
    return (listed ?? []).filter((entry) => entry.running).map((entry) => entry.name);
  }

  async dispose(): Promise<void> {
    const listed = await listContainers(this.endpoint.engine, null, `${RUN_LABEL}=${this.options.runId}`, this.endpoint.args);
    await removeContainers(this.endpoint.engine, [...new Set([...(listed ?? []).map((entry) => entry.name), ...this.names])], this.endpoint.args);
    await engineCall(this.endpoint, ['volume', 'rm', '--force', this.volume]);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

interface VolumeEntry {
  name: string;
  run: string | undefined;
  owner: string | undefined;
}

/** Volumes carrying a label (`key` or `key=value`) with cc-iso's run and owner labels; null when the target could not tell. */
async function listVolumes(endpoint: EngineEndpoint, label: string): Promise<VolumeEntry[] | null> {
  const listed = await engineCall(endpoint, ['volume', 'ls', '--filter', `label=${label}`, '--format', '{{.Name}}'], 15_000);
  if (listed.exitCode !== 0) return null;
  const names = listed.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  if (names.length === 0) return [];
  // `inspect` reads labels the same way on Docker and Podman.
  const format = `{{.Name}}\t{{index .Labels "${RUN_LABEL}"}}\t{{index .Labels "${OWNER_LABEL}"}}`;
  const inspected = await engineCall(endpoint, ['volume', 'inspect', '--format', format, ...names], 15_000);
  if (inspected.exitCode !== 0) return null;
  return inspected.stdout.split('\n').filter((line) => line.trim()).map((line) => {
    const [name = '', run = '', owner = ''] = line.split('\t');
    return { name: name.trim(), run: run && run !== '<no value>' ? run : undefined, owner: owner && owner !== '<no value>' ? owner : undefined };
  });
}
