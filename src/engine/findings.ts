import { release } from 'node:os';
import type { AuthSource, Findings } from '../domain/results.js';
import { emptyFindings } from '../domain/results.js';
import type { ProbeReport } from '../workloads/probe.js';
import type { MarkerSighting } from './workspace-check.js';

/** What the probe prints for a value it hashed (see assets/probe.sh and credentials/fingerprint.ts). */
const FINGERPRINT = /^[0-9a-f]{12}$/;

/** An exit later than this after the result counts as "did not exit promptly". */
export const PROMPT_EXIT_MS = 2000;

export interface FindingInputs {
  probe: ProbeReport | null;
  marker: MarkerSighting | null;
  /** Fingerprints of the credential values cc-iso resolved on the host (never the values). */
  secretFingerprints: string[];
  exitLagMs: number | null;
  resultSeen: boolean;
  leftovers: string[];
  /** Claude's verdict, for the claude workload. */
  claude: { isError: boolean } | null;
  authSource: AuthSource | null;
  /** The kernel of the machine the isolation runs on; absent: this machine's. */
  hostKernel?: string | null;
}

/** Answers the measured questions from what the run produced; null where there is no evidence. */
export function computeFindings(input: FindingInputs): Findings {
  const findings = emptyFindings();
  const { probe } = input;
  findings.headless = input.claude ? !input.claude.isError : null;
  findings.leftovers = input.leftovers;
  findings.cleanExit = input.resultSeen
    ? input.exitLagMs !== null && input.exitLagMs <= PROMPT_EXIT_MS && input.leftovers.length === 0
    : null;
  findings.auth = { source: input.authSource, ok: input.claude ? !input.claude.isError : null };
  if (input.marker) {
    findings.workspaceSync = {
      ok: input.marker.visible,
      latencyMs: input.marker.latencyMs,
      owner: input.marker.owner,
    };
  } else if (probe?.marker && !probe.marker.ok) {
    findings.workspaceSync = { ok: false, latencyMs: null, owner: null };
  }
  if (probe) {
    const registry = probe.npmInstall ?? (probe.registry === 'none' ? null : probe.registry);
    findings.network = {
      registry: registry === null ? null : registry === 'ok',
      blockedHost: probe.blockedHost === 'blocked' || probe.blockedHost === 'reachable' ? probe.blockedHost : null,
      blockedBy: probe.blockedHost === 'blocked' ? probe.blockedBy : null,
    };
    if (input.secretFingerprints.length > 0 && probe.evidence['credentials-checked']) {
      const exposed = probe.credentials.some((c) => input.secretFingerprints.includes(c.fingerprint));
      // A value the probe could not hash may be the token: unknown, never a reassuring "no".
      const unhashed = probe.credentials.some((c) => !FINGERPRINT.test(c.fingerprint));
      findings.credentialExposed = exposed ? true : unhashed ? null : false;
    }
    if (probe.kernel) {
      findings.kernel = { inside: probe.kernel, isolated: probe.kernel !== (input.hostKernel ?? release()) };
    }
  }
  return findings;
}
