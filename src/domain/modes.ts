/**
 * The one table of isolation modes. Every screen, flag parser and report reads what a mode is
 * from here; nothing else compares mode ids. A new mode is one row here and one adapter in
 * `runtimes/`.
 */
export const MODE_IDS = ['host', 'docker', 'podman', 'sandbox', 'gvisor', 'srt'] as const;
export type ModeId = (typeof MODE_IDS)[number];

/** What stands between the agent and the host, weakest first (PRODUCT.md's isolation classes). */
export const ISOLATION_CLASSES = ['none', 'os-sandbox', 'container', 'user-space-kernel', 'microvm'] as const;
export type IsolationClass = (typeof ISOLATION_CLASSES)[number];

/** How Claude's credential reaches the agent. */
export type CredentialTravel =
  /** cc-iso passes it in the agent's environment. */
  | 'environment'
  /** A proxy outside the isolation adds it to each request; cc-iso passes none in. */
  | 'proxy';

export type ModeColour = 'green' | 'cyan' | 'magenta' | 'yellow' | 'blue' | 'red';

export interface ModeInfo {
  id: ModeId;
  /** Short name shown in panes, prefixes and tables. */
  label: string;
  /** What kind of isolation it gives, for the report. */
  isolation: string;
  /** One line for RESULTS.md: what the mode isolates, and what it does not. */
  scope: string;
  isolationClass: IsolationClass;
  /** The mode every other mode's startup is compared with. */
  baseline: boolean;
  credential: CredentialTravel;
  /** Colour of the mode's prefix in `cc-iso run`. */
  colour: ModeColour;
  /** The engine CLI that runs it on a target (`<mode>@<target>`); absent: this machine only. */
  engine?: 'docker' | 'podman';
}

/** What Docker and Podman isolate alike. */
const CONTAINER_SCOPE =
  'isolates files (only the workspace is mounted), processes and users; shares the host kernel, and the token is in its environment (unless --credential-path proxy)';

export const MODES: Record<ModeId, ModeInfo> = {
  host: {
    id: 'host', label: 'host', isolation: 'none (baseline)', isolationClass: 'none',
    scope: 'isolates nothing: the agent has your files, network, environment and credentials',
    baseline: true, credential: 'environment', colour: 'green',
  },
  docker: {
    id: 'docker', label: 'docker', isolation: 'container, shared host kernel', isolationClass: 'container',
    scope: CONTAINER_SCOPE,
    baseline: false, credential: 'environment', colour: 'cyan', engine: 'docker',
  },
  podman: {
    id: 'podman', label: 'podman', isolation: 'container, shared host kernel', isolationClass: 'container',
    scope: CONTAINER_SCOPE,
    baseline: false, credential: 'environment', colour: 'magenta', engine: 'podman',
  },
  sandbox: {
    id: 'sandbox', label: 'sandbox', isolation: 'microVM, own kernel', isolationClass: 'microvm',
    scope: 'isolates everything behind its own kernel in a microVM, the token stays in the host-side proxy; the workspace is synced in and out',
    baseline: false, credential: 'proxy', colour: 'yellow',
  },
  gvisor: {
    id: 'gvisor', label: 'gvisor', isolation: 'user-space kernel (gVisor), syscalls not served by the host kernel', isolationClass: 'user-space-kernel',
    scope: 'isolates as a container, and its syscalls are served by gVisor\'s user-space kernel, not the host\'s; the token is in its environment (unless --credential-path proxy), and its network is what runsc is set to (reported per run)',
    baseline: false, credential: 'environment', colour: 'blue', engine: 'docker',
  },
  srt: {
    id: 'srt', label: 'srt', isolation: 'OS sandbox (namespaces, filtering proxy), shared host kernel', isolationClass: 'os-sandbox',
    scope: 'isolates writes (the workspace only) and the network (allow-listed hosts through srt\'s proxy); same kernel, same user, and it reads your files and environment (the token too, unless --credential-path proxy)',
    baseline: false, credential: 'environment', colour: 'red',
  },
};

/** Rank of an isolation class: higher is stronger. */
export function isolationRank(isolationClass: IsolationClass): number {
  return ISOLATION_CLASSES.indexOf(isolationClass);
}

/** Whether the class gives the agent a kernel of its own, so a probe reporting the host's is a concern. */
export function promisesOwnKernel(isolationClass: IsolationClass): boolean {
  return isolationRank(isolationClass) >= isolationRank('user-space-kernel');
}

export function isBaseline(mode: ModeId): boolean {
  return MODES[mode].baseline;
}

/** Whether anything stands between the agent and the host (decides Claude's permission mode). */
export function isIsolated(mode: ModeId): boolean {
  return MODES[mode].isolationClass !== 'none';
}

export function isModeId(value: string): value is ModeId {
  return (MODE_IDS as readonly string[]).includes(value);
}

/** `--mode both`: the two modes of the original demo, a container and a microVM. */
export const BOTH_MODES: readonly ModeId[] = ['docker', 'sandbox'];

export const WORKLOAD_IDS = ['claude', 'probe', 'command'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export function isWorkloadId(value: string): value is WorkloadId {
  return (WORKLOAD_IDS as readonly string[]).includes(value);
}
