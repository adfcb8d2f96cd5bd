import type { ModeId } from './modes.js';

/** What detection found out about one mode on this machine (a runtime adapter's `detect()`). */
export interface Detection<Facts = unknown> {
  mode: ModeId;
  available: boolean;
  /** e.g. "Docker Engine", "Docker Desktop", "Podman (rootless)". */
  runtime: string | null;
  version: string | null;
  /** Facts worth showing: rootless, OCI runtimes, policy… */
  details: string[];
  /** Why the mode is unavailable, and how to fix it. Both null when available. */
  reason: string | null;
  fix: string | null;
  /**
   * What the adapter learned that its `prepare()` needs (the engine's user mapping, the CLI it
   * chose), typed by the adapter. Not shown and not exported: `detect --json` and the results
   * file describe a detection by the fields above.
   */
  facts?: Facts;
}

/** What runs a mode, as each run records it: "Docker Engine 28.1.1". */
export function runtimeName(detection: Detection): string {
  return [detection.runtime, detection.version].filter(Boolean).join(' ');
}

/**
 * A detection in words, the one description the screens, `cc-iso detect` and the results file
 * use: "Docker Engine 28.1.1 (rootless; OCI runtime: crun)", or "reason — fix" when unavailable.
 */
export function describeDetection(detection: Detection): string {
  if (!detection.available) return `${detection.reason ?? 'unavailable'}${detection.fix ? ` — ${detection.fix}` : ''}`;
  const name = runtimeName(detection);
  return detection.details.length > 0 ? `${name} (${detection.details.join('; ')})` : name;
}
