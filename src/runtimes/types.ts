import type { Detection } from '../domain/detection.js';
import type { ModeId } from '../domain/modes.js';
import type { Owner } from './ownership.js';

/** What `detect()` returns; defined with its description in `domain/detection.ts`. */
export type { Detection };

export type OutputStream = 'stdout' | 'stderr';

/** One command to run inside an isolation. */
export interface ExecRequest {
  /** Step name, used in container names and messages: "probe", "claude", "command". */
  step: string;
  argv: string[];
  /** Variables set inside. Values travel only through the spawned process's environment. */
  env: Record<string, string>;
}

export interface ExecIO {
  onLine(stream: OutputStream, text: string): void;
  /** Aborting stops the command: terminate, then kill after the grace period. */
  signal: AbortSignal;
}

export interface ExecOutcome {
  exitCode: number | null;
  signal: string | null;
  /** Set when the process could not be started at all (e.g. the binary is missing). */
  spawnError?: string;
}

/** A started command. The engine times it on its own clock, around `exec()` and `done`. */
export interface Execution {
  /** Settles when the command has ended; never rejects. */
  done: Promise<ExecOutcome>;
}

export interface ImageInputs {
  baseImage: string;
  claudeVersion: string;
}

export interface PrepareOptions<Facts = unknown> {
  /** Unique id of this run: part of every name and label the isolation creates. */
  runId: string;
  /** This mode's detection, as `detect()` returned it: prepare reads its facts from here. */
  detection: Detection<Facts>;
  /** The host folder shared with the isolation. */
  workspace: string;
  image: ImageInputs;
  /** The workspace is a folder cc-iso made for this run, so it may hand it to the isolation's user. */
  adoptWorkspace: boolean;
  /** Share the host's network (needed to reach a service on the host's loopback). */
  hostNetwork: boolean;
  /** The npm registry the workload is asked to reach (`--registry-url`); '' for npm's own setting. */
  registryUrl: string;
  /** Progress lines (image build output, sandbox creation). */
  onLine(text: string): void;
  signal: AbortSignal;
}

/** A prepared environment of one run: commands run in it, then it is torn down. */
export interface Isolation {
  /** The workspace path as seen from inside. */
  readonly workspaceInside: string;
  /**
   * How Claude gets its credential: through the environment cc-iso passes in (host, containers),
   * or from a proxy outside the isolation that injects it (Docker Sandboxes), in which case cc-iso
   * passes no token in at all.
   */
  readonly credentialPath: 'environment' | 'proxy';
  /** How the isolation reaches the network, when worth reporting (e.g. host networking). */
  readonly networkNote: string | null;
  /**
   * Where a service on the host (the credential forwarder) must listen for commands inside to
   * reach it. Only isolations that can reach one have it (containers); rejects with the reason
   * and the alternative where this engine cannot.
   */
  hostAddress?(): Promise<HostAddress>;
  exec(request: ExecRequest, io: ExecIO): Execution;
  /** Names of this run's containers/sandboxes that still exist (running or not). */
  leftovers(): Promise<string[]>;
  /**
   * Names of this run's containers/sandboxes still running once its command has exited: a
   * sandbox's microVM outlives `exec`, a container normally does not.
   */
  runningAfterExit(): Promise<string[]>;
  /** Stop and remove everything this isolation created. Idempotent; never throws. */
  dispose(): Promise<void>;
  /**
   * Isolations on another machine's engine: the workspace is shipped, not shared. `syncBack`
   * brings it back after a step; `shipping` says what each direction cost.
   */
  readonly shipping?: WorkspaceShipping;
  syncBack?(signal: AbortSignal): Promise<{ bytes: number; ms: number }>;
  /** One round trip to the engine, so startup can be shown net of it. */
  readonly rttMs?: number | null;
  /** After a failed step: why the engine is gone (network drop, daemon stopped), or null if it still answers. */
  lostReason?(): Promise<string | null>;
  /** How the credential travels to the engine, for the report. */
  readonly credentialNote?: string;
  /** The kernel of the machine the engine runs on, when that is not this one: the inside is compared with it. */
  readonly engineKernel?: string | null;
}

export interface WorkspaceShipping {
  upload: { bytes: number; ms: number } | null;
  download: { bytes: number; ms: number } | null;
}

export interface HostAddress {
  /** The host address to listen on. */
  listen: string;
  /** The same place as seen from inside: an address or the engine's alias for the host. */
  inside: string;
  /** The subnet of the isolation's peers, for when `listen` does not exist on the host yet. */
  allowFrom: string | null;
}

/** One isolation mode. The engine knows nothing else about a mode. */
export interface Runtime<Facts = unknown> {
  readonly mode: ModeId;
  detect(): Promise<Detection<Facts>>;
  prepare(options: PrepareOptions<Facts>): Promise<Isolation>;
  /**
   * Remove what crashed sessions left behind: only what cc-iso made (runtimes/ownership.ts),
   * except what `inUse` says a running session still owns, told the owner the container or
   * sandbox records (null when it records none). Returns what was removed.
   */
  clean(inUse: InUse): Promise<string[]>;
}

export type InUse = (name: string, owner?: Owner | null) => boolean;

/** Grace period between the polite stop and the kill. */
export const STOP_GRACE_MS = 3000;
