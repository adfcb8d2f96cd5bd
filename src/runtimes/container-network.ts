import type { Engine } from './container-detect.js';

export interface HostAccess {
  args: string[];
  /** Replaces a loopback host in ANTHROPIC_BASE_URL inside the container. */
  alias: string | null;
  note: string | null;
}

/**
 * A service on the host's loopback (a local Messages API, a gateway) is reached through the
 * host's network on Linux; where the engine runs in a VM, through its alias for the host.
 */
export function hostAccess(engine: Engine, hostNetwork: boolean, desktop: boolean): HostAccess {
  if (!hostNetwork) return { args: [], alias: null, note: null };
  if (!desktop) {
    return { args: ['--network', 'host'], alias: null, note: 'host network: ANTHROPIC_BASE_URL is on the host loopback' };
  }
  const alias = engine === 'docker' ? 'host.docker.internal' : 'host.containers.internal';
  return { args: [], alias, note: `${alias}: ANTHROPIC_BASE_URL is on the host loopback, rewritten to the engine's host alias` };
}

/** The variables as the container must see them: a loopback base URL points at the engine's host alias. */
export function envInside(env: Record<string, string>, access: HostAccess): Record<string, string> {
  if (!access.alias || !env.ANTHROPIC_BASE_URL) return env;
  const url = new URL(env.ANTHROPIC_BASE_URL);
  url.hostname = access.alias;
  return { ...env, ANTHROPIC_BASE_URL: url.toString().replace(/\/$/, '') };
}
