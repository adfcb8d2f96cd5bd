import { chown, stat } from 'node:fs/promises';
import { execa } from 'execa';
import type { ModeId } from '../domain/modes.js';
import { containerHostAddress } from './host-address.js';
import { ensureImage, planImage } from './image.js';
import { spawnLines } from './spawn-lines.js';
import type { Detection, ExecIO, ExecRequest, Execution, HostAddress, Isolation, PrepareOptions, Runtime } from './types.js';
import { LABEL, RUN_LABEL, STOP_GRACE_MS } from './types.js';

export type Engine = 'docker' | 'podman';

/** The uid of the image's non-root user (`node` in the official Node images). */
const IMAGE_UID = 1000;
const WORKSPACE_INSIDE = '/workspace';

interface EngineFacts {
  rootless: boolean;
  /** Docker Desktop runs containers in a VM: the host network there is not the host's loopback. */
  desktop: boolean;
}

interface HostAccess {
  args: string[];
  /** Replaces a loopback host in ANTHROPIC_BASE_URL inside the container. */
  alias: string | null;
  note: string | null;
}

/**
 * Who the agent runs as inside: the owner of the workspace, so that it can write there and the
 * files it writes belong to the same person on the host.
 * - rootless Podman: keep-id maps the host user to the same uid inside;
 * - rootless Docker: root inside is the host user (any other uid inside is a subordinate id that
 *   cannot write the workspace), so root, with IS_SANDBOX=1 (see below);
 * - a workspace owned by a normal user: that uid:gid (a laptop's uid 1000 is the image's `node`);
 * - a folder cc-iso made itself as root: handed to the image's non-root user `node`;
 * - a root-owned folder the user chose: root inside too (said so in the output), with
 *   IS_SANDBOX=1, which Claude Code requires before it bypasses permissions as root.
 */
export function chooseContainerUser(
  engine: Engine,
  rootless: boolean,
  workspace: { path: string; uid: number; gid: number; adopt: boolean },
): ContainerUser & { adopt: boolean; note: string | null } {
  const as = (args: string[], env: Record<string, string> = {}, note: string | null = null, adopt = false) => ({ args, env, note, adopt });
  if (rootless && engine === 'podman') return as(['--userns', 'keep-id']);
  if (rootless) return as(['--user', '0:0'], { IS_SANDBOX: '1' }, 'rootless Docker: the agent runs as root inside, which is you on the host');
  if (workspace.uid === 0 && workspace.adopt) return as(['--user', `${IMAGE_UID}:${IMAGE_UID}`], {}, null, true);
  if (workspace.uid === 0) {
    return as(['--user', '0:0'], { IS_SANDBOX: '1' }, `the workspace ${workspace.path} belongs to root, so the agent runs as root inside the container`);
  }
  // Any other uid has no home in the image; /tmp is writable by everyone.
  return as(['--user', `${workspace.uid}:${workspace.gid}`], workspace.uid === IMAGE_UID ? {} : { HOME: '/tmp' });
}

interface ContainerUser {
  args: string[];
  /** Variables the user mapping needs inside (HOME for a uid without one). */
  env: Record<string, string>;
}

/**
 * --- gVisor hook (see runtimes/gvisor.ts) ---
 * A mode that runs the same container under another OCI runtime: the extra `run` arguments that
 * select it, and what that runtime does with the network, for the report.
 */
export interface OciRuntimeChoice {
  mode: ModeId;
  runArgs: string[];
  networkNote: string | null;
}

/** Mode A: a container on Docker or Podman. Both speak the same CLI for what we use. */
export class ContainerRuntime implements Runtime {
  readonly mode: ModeId;
  private facts: EngineFacts | undefined;

  constructor(
    readonly engine: Engine,
    private readonly ociRuntime: OciRuntimeChoice | null = null,
  ) {
    this.mode = ociRuntime?.mode ?? engine;
  }

  async detect(): Promise<Detection> {
    const base: Detection = {
      mode: this.mode, available: false, runtime: null, version: null, details: [], reason: null, fix: null,
    };
    const info = await execa(this.engine, ['info', '--format', '{{json .}}'], {
      reject: false, stdin: 'ignore', timeout: 15_000,
    });
    if (info.failed && (info.code === 'ENOENT' || info.exitCode === undefined) && !info.timedOut) {
      return { ...base, reason: `${this.engine} is not installed`, fix: installHint(this.engine) };
    }
    if (info.timedOut) {
      return { ...base, reason: `${this.engine} did not answer within 15 s`, fix: startHint(this.engine, '') };
    }
    if (info.exitCode !== 0) {
      const message = firstLine(String(info.stderr)) || `${this.engine} info failed`;
      return { ...base, reason: `${engineName(this.engine)}: daemon not running (${message})`, fix: startHint(this.engine, String(info.stderr)) };
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(String(info.stdout)) as Record<string, unknown>;
    } catch {
      return { ...base, reason: `${this.engine} info printed something that is not JSON`, fix: 'Check the engine installation' };
    }
    return this.engine === 'docker' ? this.readDockerInfo(base, parsed) : this.readPodmanInfo(base, parsed);
  }

  private readDockerInfo(base: Detection, info: Record<string, unknown>): Detection {
    const version = String(info.ServerVersion ?? '') || null;
    const os = String(info.OperatingSystem ?? '');
    const desktop = /docker desktop/i.test(os);
    const security = (info.SecurityOptions as string[] | undefined) ?? [];
    const rootless = security.some((option) => option.includes('rootless'));
    const runtimes = Object.keys((info.Runtimes as Record<string, unknown> | undefined) ?? {});
    this.facts = { rootless, desktop };
    return {
      ...base,
      available: true,
      runtime: desktop ? 'Docker Desktop' : 'Docker Engine',
      version,
      details: [
        rootless ? 'rootless' : 'rootful',
        `OCI runtimes: ${runtimes.join(', ') || 'unknown'} (default ${String(info.DefaultRuntime ?? '?')})`,
        `kernel ${String(info.KernelVersion ?? '?')}`,
      ],
    };
  }

  private readPodmanInfo(base: Detection, info: Record<string, unknown>): Detection {
    const host = (info.host ?? {}) as Record<string, unknown>;
    const security = (host.security ?? {}) as Record<string, unknown>;
    const oci = (host.ociRuntime ?? {}) as Record<string, unknown>;
    const version = String(((info.version ?? {}) as Record<string, unknown>).Version ?? '') || null;
    const rootless = security.rootless === true;
    // Podman on macOS/Windows runs in `podman machine`, a VM like Docker Desktop's.
    this.facts = { rootless, desktop: process.platform !== 'linux' };
    return {
      ...base,
      available: true,
      runtime: rootless ? 'Podman (rootless)' : 'Podman (rootful)',
      version,
      details: [
        rootless ? 'rootless' : 'rootful',
        `OCI runtime: ${String(oci.name ?? 'unknown')}`,
        `kernel ${String(host.kernel ?? '?')}`,
      ],
    };
  }

  async prepare(options: PrepareOptions): Promise<Isolation> {
    if (!this.facts) await this.detect();
    const plan = await planImage(options.image);
    await ensureImage(this.engine, plan, options.onLine, options.signal);
    const user = await this.containerUser(options);
    const facts = { desktop: this.facts?.desktop === true, rootless: this.facts?.rootless === true };
    const hostAddress = () => containerHostAddress(this.engine, facts);
    return new ContainerIsolation(this.engine, plan.tag, options, user, this.hostAccess(options), hostAddress, this.ociRuntime);
  }

  private async containerUser(options: PrepareOptions): Promise<ContainerUser> {
    const { uid, gid } = await stat(options.workspace);
    const workspace = { path: options.workspace, uid, gid, adopt: options.adoptWorkspace };
    const user = chooseContainerUser(this.engine, this.facts?.rootless === true, workspace);
    if (user.adopt) await chown(options.workspace, IMAGE_UID, IMAGE_UID);
    if (user.note) options.onLine(user.note);
    return user;
  }

  /**
   * A service on the host's loopback (a local Messages API, a gateway) is reached through the
   * host's network on Linux; where the engine runs in a VM, through its alias for the host.
   */
  private hostAccess(options: PrepareOptions): HostAccess {
    if (!options.hostNetwork) return { args: [], alias: null, note: null };
    if (!this.facts?.desktop) {
      return { args: ['--network', 'host'], alias: null, note: 'host network: ANTHROPIC_BASE_URL is on the host loopback' };
    }
    const alias = this.engine === 'docker' ? 'host.docker.internal' : 'host.containers.internal';
    return { args: [], alias, note: `${alias}: ANTHROPIC_BASE_URL is on the host loopback, rewritten to the engine's host alias` };
  }

  async clean(inUse: (name: string) => boolean): Promise<string[]> {
    const names = ((await listContainers(this.engine, [`label=${LABEL}`])) ?? []).filter((name) => !inUse(name));
    await removeContainers(this.engine, names);
    return names;
  }
}

class ContainerIsolation implements Isolation {
  readonly credentialPath = 'environment' as const;
  readonly networkNote: string | null;
  readonly workspaceInside = WORKSPACE_INSIDE;
  private readonly names = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly image: string,
    private readonly options: PrepareOptions,
    private readonly user: ContainerUser,
    private readonly hostAccess: HostAccess,
    readonly hostAddress: () => Promise<HostAddress>,
    private readonly ociRuntime: OciRuntimeChoice | null,
  ) {
    this.networkNote = [ociRuntime?.networkNote, hostAccess.note].filter(Boolean).join('; ') || null;
  }

  exec(request: ExecRequest, io: ExecIO): Execution {
    const name = `cc-iso-${this.options.runId}-${request.step}`;
    this.names.add(name);
    // `-e NAME` without a value: the engine reads the value from our child's environment,
    // so no secret ever appears in an argument list.
    const env = { ...this.user.env, ...request.env };
    if (this.hostAccess.alias && env.ANTHROPIC_BASE_URL) {
      const url = new URL(env.ANTHROPIC_BASE_URL);
      url.hostname = this.hostAccess.alias;
      env.ANTHROPIC_BASE_URL = url.toString().replace(/\/$/, '');
    }
    const envFlags = Object.keys(env).flatMap((key) => ['--env', key]);
    const args = [
      'run', '--rm', '--init',
      '--name', name,
      '--label', `${LABEL}=1`,
      '--label', `${RUN_LABEL}=${this.options.runId}`,
      ...(this.ociRuntime?.runArgs ?? []),
      ...this.hostAccess.args,
      ...this.user.args,
      // --mount, not --volume: --volume splits at a ':' in the path.
      '--mount', `type=bind,source=${this.options.workspace},target=${WORKSPACE_INSIDE}`,
      '--workdir', WORKSPACE_INSIDE,
      ...envFlags,
      this.image,
      ...request.argv,
    ];
    return spawnLines(this.engine, args, {
      env,
      onLine: io.onLine,
      signal: io.signal,
      stop: () => stopContainer(this.engine, name),
    });
  }

  /** When the engine cannot list, every container this run started counts as possibly left. */
  async leftovers(): Promise<string[]> {
    return (await listContainers(this.engine, [`label=${RUN_LABEL}=${this.options.runId}`])) ?? [...this.names];
  }

  async runningAfterExit(): Promise<string[]> {
    return (await listContainers(this.engine, [`label=${RUN_LABEL}=${this.options.runId}`, 'status=running'])) ?? [];
  }

  async dispose(): Promise<void> {
    const listed = (await listContainers(this.engine, [`label=${RUN_LABEL}=${this.options.runId}`])) ?? [];
    await removeContainers(this.engine, [...new Set([...listed, ...this.names])]);
  }
}

async function stopContainer(engine: Engine, name: string): Promise<void> {
  await execa(engine, ['stop', '--time', String(Math.ceil(STOP_GRACE_MS / 1000)), name], {
    reject: false, stdin: 'ignore', timeout: STOP_GRACE_MS + 10_000, detached: true,
  });
}

/** Names of the containers matching a filter; null when the engine could not tell. */
/** Containers matching every filter (the engines AND filters on different keys). */
async function listContainers(engine: Engine, filters: string[]): Promise<string[] | null> {
  const result = await execa(engine, ['ps', '--all', ...filters.flatMap((filter) => ['--filter', filter]), '--format', '{{.Names}}'], {
    reject: false, stdin: 'ignore', timeout: 15_000, detached: true,
  });
  if (result.exitCode !== 0) return null;
  return String(result.stdout).split('\n').map((line) => line.trim()).filter(Boolean);
}

async function removeContainers(engine: Engine, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await execa(engine, ['rm', '--force', ...names], { reject: false, stdin: 'ignore', timeout: 30_000, detached: true });
}

function engineName(engine: Engine): string {
  return engine === 'docker' ? 'Docker' : 'Podman';
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

function installHint(engine: Engine): string {
  return engine === 'docker'
    ? 'install Docker Desktop, or Docker Engine (`sudo apt-get install docker.io`)'
    : 'install Podman (`sudo apt-get install podman`, `brew install podman`)';
}

function startHint(engine: Engine, stderr: string): string {
  if (engine === 'podman') {
    if (/machine|connection refused|unable to connect/i.test(stderr)) return 'start it: `podman machine start`';
    return 'check `podman info` (on Linux: `sudo systemctl start podman.socket` for the service)';
  }
  if (/permission denied/i.test(stderr)) return 'add your user to the `docker` group, or run rootless Docker';
  return process.platform === 'linux'
    ? 'start it: `sudo systemctl start docker` (or `sudo dockerd &`)'
    : 'start Docker Desktop';
}
