import { execa } from 'execa';
import type { ModeId } from '../domain/modes.js';
import { placementLabel, type TargetTransport } from '../domain/targets.js';
import { planImage } from './image.js';
import { probeEndpoint, resolveEndpoint, type EngineCli, type EngineEndpoint, type TargetDetection } from './remote-engine.js';
import { ensureImageOn } from './remote-image.js';
import { spawnLines } from './spawn-lines.js';
import type { Detection, ExecIO, ExecRequest, Execution, Isolation, PrepareOptions, Runtime, WorkspaceShipping } from './types.js';
import { LABEL, RUN_LABEL, STOP_GRACE_MS } from './types.js';
import { downloadFolder, uploadFolder, type Transfer } from './workspace-sync.js';

const WORKSPACE_INSIDE = '/workspace';
/** The image's user (`node`): the shipped workspace is handed to it. */
const IMAGE_USER = { uid: 1000, gid: 1000 };
const QUICK = { reject: false, stdin: 'ignore', timeout: 30_000, detached: true } as const;

/**
 * A container mode on another machine's engine (`docker@buildbox`). The workspace cannot be
 * bind-mounted there: it is shipped into a volume before the run and brought back after it.
 */
export class RemoteContainerRuntime implements Runtime {
  private endpoint: EngineEndpoint | undefined;
  private detection: TargetDetection | undefined;

  constructor(
    readonly mode: ModeId,
    readonly engine: EngineCli,
    readonly target: string,
  ) {}

  private async resolved(): Promise<EngineEndpoint> {
    this.endpoint ??= await resolveEndpoint(this.engine, this.target);
    return this.endpoint;
  }

  async detect(): Promise<Detection> {
    const endpoint = await this.resolved();
    const found = await probeEndpoint(endpoint);
    this.detection = found;
    const label = placementLabel({ mode: this.mode, target: this.target });
    const base: Detection = {
      mode: this.mode, available: found.reachable, version: found.version,
      runtime: found.reachable ? `${this.engine === 'docker' ? 'Docker Engine' : 'Podman'} on ${this.target}` : null,
      details: found.reachable
        ? [`${found.transport}`, `${found.os ?? '?'}/${found.arch ?? '?'}`, `kernel ${found.kernel ?? '?'}`, `round trip ${found.rttMs} ms`]
        : [],
      reason: found.reachable ? null : `${label}: ${found.reason}`,
      fix: found.fix,
    };
    return base;
  }

  /** How the engine is reached; null until detected or when the target does not exist. */
  get transport(): TargetTransport | null {
    return this.endpoint?.transport ?? null;
  }

  async prepare(options: PrepareOptions): Promise<Isolation> {
    const endpoint = await this.resolved();
    if (!this.detection) await this.detect();
    if (!this.detection?.reachable) throw new Error(`${this.target} is unreachable: ${this.detection?.reason ?? 'unknown'}`);
    if (options.hostNetwork) {
      throw new Error(
        `ANTHROPIC_BASE_URL points at this machine's loopback, which a container on ${this.target} cannot reach. ` +
          'Serve the API on an address the target can reach and set ANTHROPIC_BASE_URL to it (or drop it to use the real API).',
      );
    }
    const plan = await planImage(options.image);
    await ensureImageOn(endpoint, plan, options.onLine, options.signal);
    const isolation = new RemoteContainerIsolation(endpoint, plan.tag, options, this.detection.rttMs);
    try {
      await isolation.ship(options.signal);
    } catch (error) {
      await isolation.dispose();
      throw error;
    }
    return isolation;
  }

  async clean(inUse: (name: string) => boolean): Promise<string[]> {
    const endpoint = await this.resolved();
    const listed = await listNames(endpoint, 'ps', [`label=${LABEL}`]);
    if (listed === null) throw new Error(`${this.target} does not answer; run clean again once it is back`);
    const containers = listed.filter((name) => !inUse(name));
    await removeContainers(endpoint, containers);
    const volumes = ((await listNames(endpoint, 'volume', [`label=${LABEL}`])) ?? []).filter((name) => !inUse(name));
    if (volumes.length > 0) await execa(endpoint.engine, [...endpoint.args, 'volume', 'rm', '--force', ...volumes], QUICK);
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

  constructor(
    private readonly endpoint: EngineEndpoint,
    private readonly image: string,
    private readonly options: PrepareOptions,
    readonly rttMs: number | null,
  ) {
    this.volume = `cc-iso-${options.runId}-workspace`;
    this.holder = `cc-iso-${options.runId}-sync`;
    this.networkNote = `engine on ${endpoint.target} over ${endpoint.transport}; the workspace is shipped, not shared`;
  }

  /** What the credential's journey to this target looks like, for the report. */
  get credentialNote(): string {
    const wire = this.endpoint.transport === 'tcp' ? 'plain TCP (unencrypted)' : this.endpoint.transport;
    return `env path: the token travels to ${this.endpoint.target} inside the engine's create request over ${wire}`;
  }

  private labels(): string[] {
    return ['--label', `${LABEL}=1`, '--label', `${RUN_LABEL}=${this.options.runId}`];
  }

  /** Volume + a stopped holder container to copy through, then the workspace as a tar stream. */
  async ship(signal: AbortSignal): Promise<void> {
    const { engine, args } = this.endpoint;
    const made = await execa(engine, [...args, 'volume', 'create', ...this.labels(), this.volume], QUICK);
    if (made.exitCode !== 0) throw new Error(`creating the workspace volume on ${this.endpoint.target} failed: ${String(made.stderr).trim()}`);
    this.names.add(this.holder);
    const holder = await execa(engine, [
      ...args, 'create', '--name', this.holder, ...this.labels(), '--volume', `${this.volume}:${WORKSPACE_INSIDE}`, this.image, 'true',
    ], QUICK);
    if (holder.exitCode !== 0) throw new Error(`creating the sync container on ${this.endpoint.target} failed: ${String(holder.stderr).trim()}`);
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
    const { engine, args, target } = this.endpoint;
    const answer = await execa(engine, [...args, 'version', '--format', '{{.Server.Version}}'], { ...QUICK, timeout: 10_000 });
    if (answer.exitCode === 0) return null;
    const why = answer.timedOut ? 'no answer within 10 s' : String(answer.stderr).trim().split('\n').at(-1) ?? `exit ${answer.exitCode}`;
    return `the engine on ${target} went away during the run: ${why}`;
  }

  exec(request: ExecRequest, io: ExecIO): Execution {
    const { engine, args } = this.endpoint;
    const name = `cc-iso-${this.options.runId}-${request.step}`;
    this.names.add(name);
    // `--env NAME` without a value: the CLI reads it from our child's environment and sends it
    // inside the create request over the connection; never on an argument list.
    const envFlags = Object.keys(request.env).flatMap((key) => ['--env', key]);
    return spawnLines(engine, [
      ...args, 'run', '--rm', '--init', '--name', name, ...this.labels(),
      '--volume', `${this.volume}:${WORKSPACE_INSIDE}`,
      '--workdir', WORKSPACE_INSIDE,
      ...envFlags, this.image, ...request.argv,
    ], {
      env: request.env,
      onLine: io.onLine,
      signal: io.signal,
      stop: async () => {
        await execa(engine, [...args, 'stop', '--time', String(Math.ceil(STOP_GRACE_MS / 1000)), name], { ...QUICK, timeout: STOP_GRACE_MS + 10_000 });
      },
    });
  }

  async leftovers(): Promise<string[]> {
    const filter = [`label=${RUN_LABEL}=${this.options.runId}`];
    const containers = (await listNames(this.endpoint, 'ps', filter)) ?? [...this.names];
    const volumes = (await listNames(this.endpoint, 'volume', filter)) ?? [this.volume];
    return [...containers, ...volumes.map((name) => `volume ${name}`)];
  }

  async runningAfterExit(): Promise<string[]> {
    return (await listNames(this.endpoint, 'ps', [`label=${RUN_LABEL}=${this.options.runId}`, 'status=running'])) ?? [];
  }

  async dispose(): Promise<void> {
    const listed = (await listNames(this.endpoint, 'ps', [`label=${RUN_LABEL}=${this.options.runId}`])) ?? [];
    await removeContainers(this.endpoint, [...new Set([...listed, ...this.names])]);
    await execa(this.endpoint.engine, [...this.endpoint.args, 'volume', 'rm', '--force', this.volume], QUICK);
  }
}

/** Names of containers (`ps`) or volumes matching every filter; null when the target could not tell. */
async function listNames(endpoint: EngineEndpoint, what: 'ps' | 'volume', filters: string[]): Promise<string[] | null> {
  const command = what === 'ps' ? ['ps', '--all'] : ['volume', 'ls'];
  const result = await execa(endpoint.engine, [
    ...endpoint.args, ...command, ...filters.flatMap((filter) => ['--filter', filter]), '--format', '{{.Name' + (what === 'ps' ? 's' : '') + '}}',
  ], QUICK);
  if (result.exitCode !== 0) return null;
  return String(result.stdout).split('\n').map((line) => line.trim()).filter(Boolean);
}

async function removeContainers(endpoint: EngineEndpoint, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await execa(endpoint.engine, [...endpoint.args, 'rm', '--force', ...names], QUICK);
}
