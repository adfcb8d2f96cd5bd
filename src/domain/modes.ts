/** The one list of isolation modes. Every screen, flag parser and report reads it from here. */
export const MODE_IDS = ['host', 'docker', 'podman', 'sandbox', 'gvisor', 'srt'] as const;
export type ModeId = (typeof MODE_IDS)[number];

export interface ModeInfo {
  id: ModeId;
  /** Short name shown in panes, prefixes and tables. */
  label: string;
  /** What kind of isolation it gives, for the report. */
  isolation: string;
  /**
   * Rank of isolation strength, higher is stronger: none 0 · OS sandbox 1 · container 2 ·
   * user-space kernel 3 · microVM 4. Used by the recommendation.
   */
  strength: number;
}

export const MODES: Record<ModeId, ModeInfo> = {
  host: { id: 'host', label: 'host', isolation: 'none (baseline)', strength: 0 },
  srt: { id: 'srt', label: 'srt', isolation: 'OS sandbox (namespaces, seccomp, filtering proxy), shared host kernel', strength: 1 },
  docker: { id: 'docker', label: 'docker', isolation: 'container, shared host kernel', strength: 2 },
  podman: { id: 'podman', label: 'podman', isolation: 'container, shared host kernel', strength: 2 },
  gvisor: { id: 'gvisor', label: 'gvisor', isolation: 'user-space kernel (gVisor), syscalls served outside the host kernel', strength: 3 },
  sandbox: { id: 'sandbox', label: 'sandbox', isolation: 'microVM, own kernel', strength: 4 },
};

export function isModeId(value: string): value is ModeId {
  return (MODE_IDS as readonly string[]).includes(value);
}

export const WORKLOAD_IDS = ['claude', 'probe', 'command'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export function isWorkloadId(value: string): value is WorkloadId {
  return (WORKLOAD_IDS as readonly string[]).includes(value);
}
