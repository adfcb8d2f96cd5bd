import { callCli } from './cli-call.js';
import type { HostAddress } from './types.js';

type Engine = 'docker' | 'podman';

/** What decides how a container reaches a service on the host. */
export interface HostReachFacts {
  /** The engine runs containers in a VM (Docker Desktop, `podman machine`). */
  desktop: boolean;
  rootless: boolean;
}

/**
 * Where a service on the host (cc-iso's credential forwarder) must listen for a container to
 * reach it, as narrowly as the engine allows:
 * - a VM engine: the host's loopback, which the engine's host alias forwards to;
 * - a rootful engine on Linux: the gateway of its default bridge (`docker0`, `cni-podman0`),
 *   which only the host and the containers on that bridge can reach (a container on the host's
 *   network reaches it too).
 * Rootless engines reach the host through a user-mode network whose way to the host differs by
 * engine and setup; they are refused with the alternative rather than guessed at.
 */
export async function containerHostAddress(engine: Engine, facts: HostReachFacts): Promise<HostAddress> {
  if (facts.desktop) {
    const alias = engine === 'docker' ? 'host.docker.internal' : 'host.containers.internal';
    return { listen: '127.0.0.1', inside: alias, allowFrom: null };
  }
  if (facts.rootless) {
    throw new Error(
      `--credential-path proxy does not support rootless ${engine === 'docker' ? 'Docker' : 'Podman'} yet ` +
        '(its user-mode network has no fixed way to the host); use --credential-path env',
    );
  }
  const bridge = await defaultBridge(engine);
  return { listen: bridge.gateway, inside: bridge.gateway, allowFrom: bridge.subnet };
}

/** The default bridge's IPv4 gateway and subnet, from `<engine> network inspect`. */
async function defaultBridge(engine: Engine): Promise<{ gateway: string; subnet: string }> {
  const name = engine === 'docker' ? 'bridge' : 'podman';
  const result = await callCli(engine, ['network', 'inspect', name, '--format', '{{json .}}'], 15_000);
  const found = result.exitCode === 0 ? parseBridge(result.stdout) : null;
  if (!found) {
    throw new Error(`cannot find the gateway of ${engine}'s network "${name}" for the credential forwarder; use --credential-path env`);
  }
  return found;
}

/**
 * The IPv4 gateway and subnet in Docker's (`IPAM.Config[].Gateway/Subnet`) or Podman's
 * (`subnets[].gateway/subnet`) inspect output. Docker 20.10 leaves the default bridge's gateway
 * out: it is then the subnet's first address, which is where dockerd puts it.
 */
export function parseBridge(json: string): { gateway: string; subnet: string } | null {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return null;
  }
  const network = (Array.isArray(data) ? data[0] : data) as Record<string, unknown> | undefined;
  const ipam = network?.IPAM as { Config?: { Subnet?: string; Gateway?: string }[] } | undefined;
  const entries = [
    ...(ipam?.Config ?? []).map((entry) => ({ subnet: entry.Subnet, gateway: entry.Gateway })),
    ...((network?.subnets as { subnet?: string; gateway?: string }[] | undefined) ?? []),
  ];
  for (const { subnet, gateway } of entries) {
    const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(subnet ?? '');
    if (!match) continue;
    const first = [match[1], match[2], match[3], String(Number(match[4]) + 1)].join('.');
    return { gateway: gateway || first, subnet: subnet! };
  }
  return null;
}
