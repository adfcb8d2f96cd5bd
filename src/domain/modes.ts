/** The one list of isolation modes. Every screen, flag parser and report reads it from here. */
export const MODE_IDS = ['host', 'docker', 'podman', 'sandbox'] as const;
export type ModeId = (typeof MODE_IDS)[number];

export interface ModeInfo {
  id: ModeId;
  /** Short name shown in panes, prefixes and tables. */
  label: string;
  /** What kind of isolation it gives, for the report. */
  isolation: string;
  /** Rank of isolation strength: higher is stronger. Used by the recommendation. */
  strength: number;
}

export const MODES: Record<ModeId, ModeInfo> = {
  host: { id: 'host', label: 'host', isolation: 'none (baseline)', strength: 0 },
  docker: { id: 'docker', label: 'docker', isolation: 'container, shared host kernel', strength: 1 },
  podman: { id: 'podman', label: 'podman', isolation: 'container, shared host kernel', strength: 1 },
  sandbox: { id: 'sandbox', label: 'sandbox', isolation: 'microVM, own kernel', strength: 2 },
};

export function isModeId(value: string): value is ModeId {
  return (MODE_IDS as readonly string[]).includes(value);
}

export const WORKLOAD_IDS = ['claude', 'probe', 'command'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export function isWorkloadId(value: string): value is WorkloadId {
  return (WORKLOAD_IDS as readonly string[]).includes(value);
}
