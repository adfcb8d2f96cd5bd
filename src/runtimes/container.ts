import type { ModeId } from '../domain/modes.js';
import { WORKSPACE_INSIDE, runArgs } from './container-argv.js';
import { detectEngine, type ContainerFacts, type DetectDeps, type Engine } from './container-detect.js';
import { listContainers, removeContainers, stopContainer, type ContainerEntry } from './container-list.js';
import { envInside, hostAccess, type HostAccess } from './container-network.js';
import { containerUser, type ContainerUser } from './container-user.js';
import { dockerSocket } from './engine-api.js';
import { containerHostAddress } from './host-address.js';
import { ensureImage, planImage } from './image.js';
import { RUN_LABEL, containerName, isOwnContainer, parseOwner } from './ownership.js';
import { spawnLines } from './spawn-lines.js';
import type { Detection, ExecIO, ExecRequest, Execution, HostAddress, InUse, Isolation, PrepareOptions, Runtime } from './types.js';

export type { ContainerFacts, Engine } from './container-detect.js';

/**
 * A mode that runs the same container under another OCI runtime (gVisor's runsc): the extra
 * `run` arguments that select it, and what that runtime does with the network, for the report.
 */
export interface OciRuntimeChoice {
  mode: ModeId;
  runArgs: string[];
  networkNote: string | null;
}

/** The exit status `docker run` and `podman run` give for their own failure, not the command's. */
const ENGINE_FAILED = 125;

/** Mode A: a container on Docker or Podman. Both speak the same CLI for what we use. */
export class ContainerRuntime implements Runtime<ContainerFacts> {
  readonly mode: ModeId;

  constructor(
    readonly engine: Engine,
    private readonly deps?: DetectDeps,
    private readonly ociRuntime: OciRuntimeChoice | null = null,
  ) {
    this.mode = ociRuntime?.mode ?? engine;
  }

  detect(): Promise<Detection<ContainerFacts>> {
    return detectEngine(this.engine, this.deps);
  }

  async prepare(options: PrepareOptions<ContainerFacts>): Promise<Isolation> {
    const { detection } = options;
    const facts = detection.facts;
    if (!detection.available || !facts) {
      throw new Error(`${this.engine} is unavailable: ${detection.reason ?? 'not detected'}${detection.fix ? ` — ${detection.fix}` : ''}`);
    }
    const plan = planImage(options.image);
    // Detection listed the engine's cc-iso images: a known tag needs no check per run.
    if (facts.images?.includes(plan.tag)) options.onLine(`image ${plan.tag} is up to date`);
    else await ensureImage(this.engine, plan, options.onLine, options.signal);
    const user = await containerUser(this.engine, facts.rootless, { path: options.workspace, adopt: options.adoptWorkspace }, options.onLine);
    const access = hostAccess(this.engine, options.hostNetwork, facts.desktop);
    const hostAddress = () => containerHostAddress(this.engine, { desktop: facts.desktop, rootless: facts.rootless });
    return new ContainerIsolation(this.engine, facts.socket, plan.tag, options, user, access, hostAddress, this.ociRuntime);
  }

  /** Only what carries cc-iso's run label and its exact name: never a user's `cc-iso-…` container or a debug shell from the image. */
  async clean(inUse: InUse): Promise<string[]> {
    const socket = this.engine === 'docker' ? dockerSocket() : null;
    const entries = (await listContainers(this.engine, socket, RUN_LABEL)) ?? [];
    const names = entries
      .filter((entry) => isOwnContainer(entry.name, entry.run) && !inUse(entry.name, parseOwner(entry.owner)))
      .map((entry) => entry.name);
    await removeContainers(this.engine, names);
    return names;
  }
}

class ContainerIsolation implements Isolation {
  readonly credentialPath = 'environment' as const;
  readonly networkNote: string | null;
  readonly workspaceInside = WORKSPACE_INSIDE;
  private readonly started = new Set<string>();
  private running = 0;
  /**
   * Every command so far ended by itself with its own status: `run --rm` returns that only after
   * the engine removed the container, so there is nothing left to ask about. 125 is the engine's
   * own failure (the container may exist, created but never started).
   */
  private removedByRm = true;
  /** The one listing of this run's containers since its last command ended, shared by the questions below. */
  private listing: Promise<ContainerEntry[] | null> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly socket: string | null,
    private readonly image: string,
    private readonly options: PrepareOptions<ContainerFacts>,
    private readonly user: ContainerUser,
    private readonly access: HostAccess,
    readonly hostAddress: () => Promise<HostAddress>,
    private readonly ociRuntime: OciRuntimeChoice | null,
  ) {
    this.networkNote = [ociRuntime?.networkNote, access.note].filter(Boolean).join('; ') || null;
  }

  exec(request: ExecRequest, io: ExecIO): Execution {
    const name = containerName(this.options.runId, request.step);
    this.started.add(name);
    this.running++;
    this.listing = null;
    const env = envInside({ ...this.user.env, ...request.env }, this.access);
    const args = runArgs({
      name,
      runId: this.options.runId,
      image: this.image,
      workspace: this.options.workspace,
      access: [...(this.ociRuntime?.runArgs ?? []), ...this.access.args],
      user: this.user.args,
      envNames: Object.keys(env),
      argv: request.argv,
    });
    const { done } = spawnLines(this.engine, args, {
      env,
      onLine: io.onLine,
      signal: io.signal,
      stop: () => stopContainer(this.engine, name),
    });
    return {
      done: done.then((outcome) => {
        this.running--;
        this.listing = null;
        if (io.signal.aborted || outcome.spawnError || outcome.exitCode === null || outcome.exitCode === ENGINE_FAILED) this.removedByRm = false;
        return outcome;
      }),
    };
  }

  /** When the engine cannot list, every container this run started counts as possibly left. */
  async leftovers(): Promise<string[]> {
    const listed = await this.list();
    return listed ? listed.map((entry) => entry.name) : [...this.started];
  }

  async runningAfterExit(): Promise<string[]> {
    return ((await this.list()) ?? []).filter((entry) => entry.running).map((entry) => entry.name);
  }

  /** Removes what the listing shows; after a stop (or when it cannot list) also every name this run started. */
  async dispose(): Promise<void> {
    const listed = await this.list();
    const names = new Set(listed?.map((entry) => entry.name));
    if (listed === null || !this.removedByRm || this.running > 0) for (const name of this.started) names.add(name);
    if (names.size === 0) return;
    await removeContainers(this.engine, [...names]);
    this.listing = null;
  }

  /** No engine call while the exit statuses say `--rm` already removed everything; one shared listing otherwise. */
  private list(): Promise<ContainerEntry[] | null> {
    if (this.running === 0 && this.removedByRm) return Promise.resolve([]);
    const query = () => listContainers(this.engine, this.socket, `${RUN_LABEL}=${this.options.runId}`);
    if (this.running > 0) return query();
    this.listing ??= query();
    return this.listing;
  }
}
