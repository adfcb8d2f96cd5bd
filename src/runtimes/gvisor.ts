import { basename } from 'node:path';
import { callCli } from './cli-call.js';
import { detectEngine, type OciRuntimeEntry } from './container-detect.js';
import { ContainerRuntime, type ContainerFacts, type Engine } from './container.js';
import type { Detection, Isolation, PrepareOptions, Runtime } from './types.js';
import { rememberedVersion } from './version-memo.js';
import { which } from './which.js';

/** What detection needs to know about the machine, gathered by `gatherGvisorFacts`. */
export interface GvisorFacts {
  platform: NodeJS.Platform;
  /** Docker's own detection (engine missing or down is said there). */
  docker: Detection<ContainerFacts>;
  /** Docker's registered OCI runtimes, by the name `--runtime` takes; null when Docker did not answer. */
  dockerRuntimes: Record<string, OciRuntimeEntry> | null;
  dockerRootless: boolean;
  podman: Detection<ContainerFacts>;
  podmanRootless: boolean;
  /** The `runsc` binary found on PATH, or null. */
  runscOnPath: string | null;
  /** First line of `runsc --version`, or null. */
  runscVersion: string | null;
}

/** How the gvisor mode runs: which engine, which `--runtime`, and the network gVisor has. */
export interface GvisorChoice {
  engine: Engine;
  /** What `--runtime` is given: Docker's registered name, or the binary's path for Podman. */
  runtime: string;
  network: string;
}

/** What prepare() needs: the choice, and the detection of the engine it runs under. */
export interface GvisorPrepareFacts {
  choice: GvisorChoice;
  engine: Detection<ContainerFacts>;
}

export type GvisorDetection = Detection<GvisorPrepareFacts> & { choice: GvisorChoice | null };

const DEBIAN_INSTALL = '`sudo apt-get install runsc` (Debian/Ubuntu; elsewhere see gvisor.dev/docs/user_guide/install)';

/** The daemon.json entry that registers runsc with Docker (the network setting that works on Linux hosts where gVisor's own stack does not). */
export function daemonJsonSnippet(path: string): string {
  return JSON.stringify({ runtimes: { runsc: { path, runtimeArgs: ['--network=host'] } } });
}

/** Docker's runtime that is gVisor: the one named `runsc`, else one whose binary or shim is runsc. */
export function findRunscRuntime(runtimes: Record<string, OciRuntimeEntry>): { name: string; entry: OciRuntimeEntry } | null {
  const entries = Object.entries(runtimes);
  const isRunsc = ([name, entry]: [string, OciRuntimeEntry]) =>
    name === 'runsc' || (entry.path !== undefined && basename(entry.path) === 'runsc') || /runsc/.test(entry.runtimeType ?? '');
  const found = entries.find(([name]) => name === 'runsc') ?? entries.find(isRunsc);
  return found ? { name: found[0], entry: found[1] } : null;
}

/** The network gVisor gives the container, from runsc's arguments (`--network=host|none|sandbox`). */
export function gvisorNetwork(runtimeArgs: string[]): string {
  const joined = runtimeArgs.join(' ');
  const value = /--network[= ](\w+)/.exec(joined)?.[1] ?? 'sandbox';
  if (value === 'host') return 'host network (runsc --network=host: the host kernel\'s network stack, not gVisor\'s)';
  if (value === 'none') return 'no network (runsc --network=none)';
  return 'gVisor\'s own network stack (netstack)';
}

/** Decides availability, reason and fix from the gathered facts. Pure, so every branch is tested. */
export function describeGvisor(facts: GvisorFacts): GvisorDetection {
  const base: GvisorDetection = {
    mode: 'gvisor', available: false, runtime: null, version: facts.runscVersion, details: [], reason: null, fix: null, choice: null,
  };
  const registered = facts.dockerRuntimes ? findRunscRuntime(facts.dockerRuntimes) : null;
  if (facts.platform !== 'linux' && !registered) {
    return {
      ...base,
      reason: `gVisor runs on Linux only (this is ${facts.platform}); Docker Desktop has no runsc runtime`,
      fix: 'use a Linux machine (or a Linux VM) with Docker Engine and runsc',
    };
  }
  if (facts.docker.available && registered) {
    if (facts.dockerRootless) {
      return { ...base, reason: 'rootless Docker: gVisor\'s runsc is not supported on a rootless engine', fix: 'use a rootful Docker Engine for the gvisor mode' };
    }
    const network = gvisorNetwork(registered.entry.runtimeArgs ?? []);
    return {
      ...base,
      available: true,
      runtime: `${facts.docker.runtime ?? 'Docker'} ${facts.docker.version ?? ''} + gVisor runsc`.replace('  ', ' '),
      details: [`Docker runtime "${registered.name}" (${registered.entry.path ?? registered.entry.runtimeType ?? '?'})`, network],
      choice: { engine: 'docker', runtime: registered.name, network },
    };
  }
  // Podman takes a runtime binary by path, so an installed runsc is enough there.
  if (facts.runscOnPath && facts.podman.available && !facts.docker.available) {
    if (facts.podmanRootless) {
      return { ...base, reason: 'rootless Podman: gVisor\'s runsc is not supported on a rootless engine', fix: 'run cc-iso as root for rootful Podman, or use a rootful Docker Engine with runsc registered' };
    }
    const network = gvisorNetwork([]);
    return {
      ...base,
      available: true,
      runtime: `${facts.podman.runtime ?? 'Podman'} ${facts.podman.version ?? ''} + gVisor runsc`.replace('  ', ' '),
      details: [`podman --runtime ${facts.runscOnPath}`, network],
      choice: { engine: 'podman', runtime: facts.runscOnPath, network },
    };
  }
  if (!facts.docker.available && !facts.podman.available) {
    return { ...base, reason: `no container engine to run gVisor under (${facts.docker.reason ?? 'Docker unavailable'})`, fix: facts.docker.fix };
  }
  if (!facts.runscOnPath) {
    return { ...base, reason: 'gVisor (runsc) is not installed', fix: `${DEBIAN_INSTALL}, then register it with Docker` };
  }
  if (facts.dockerRootless) {
    return { ...base, reason: 'rootless Docker: gVisor\'s runsc is not supported on a rootless engine', fix: 'use a rootful Docker Engine for the gvisor mode' };
  }
  return {
    ...base,
    reason: 'runsc is installed but not registered with Docker',
    fix: `add ${daemonJsonSnippet(facts.runscOnPath)} to /etc/docker/daemon.json, then reload Docker (\`sudo systemctl reload docker\`, or \`sudo kill -HUP $(cat /var/run/docker.pid)\`)`,
  };
}

/** The gvisor mode: the cc-iso container image under gVisor's runsc (a user-space kernel). */
export class GvisorRuntime implements Runtime<GvisorPrepareFacts> {
  readonly mode = 'gvisor' as const;

  /** The choice and the engine's own detection travel to prepare() as facts. */
  async detect(): Promise<Detection<GvisorPrepareFacts>> {
    const facts = await gatherGvisorFacts();
    const { choice, ...detection } = describeGvisor(facts);
    if (!choice) return detection;
    return { ...detection, facts: { choice, engine: choice.engine === 'docker' ? facts.docker : facts.podman } };
  }

  async prepare(options: PrepareOptions<GvisorPrepareFacts>): Promise<Isolation> {
    const facts = options.detection.facts;
    if (!options.detection.available || !facts) {
      const { reason, fix } = options.detection;
      throw new Error(`gvisor is unavailable: ${reason ?? 'unknown reason'}${fix ? ` — ${fix}` : ''}`);
    }
    const container = new ContainerRuntime(facts.choice.engine, undefined, {
      mode: 'gvisor',
      runArgs: ['--runtime', facts.choice.runtime],
      networkNote: `gVisor: ${facts.choice.network}`,
    });
    return container.prepare({ ...options, detection: facts.engine });
  }

  /** Its containers carry cc-iso's label on the same engines: the docker and podman modes clean them. */
  async clean(): Promise<string[]> {
    return [];
  }
}

/** The engines' own detections (shared with their modes: no second question) and runsc's version. */
async function gatherGvisorFacts(): Promise<GvisorFacts> {
  const runscOnPath = which('runsc');
  const [docker, podman] = await Promise.all([detectEngine('docker'), detectEngine('podman')]);
  const dockerRuntimes = docker.facts?.ociRuntimes ?? null;
  const registered = dockerRuntimes ? findRunscRuntime(dockerRuntimes) : null;
  // The registered binary is the one that runs; an absolute path there can be asked its version.
  const binary = registered?.entry.path?.startsWith('/') ? registered.entry.path : runscOnPath;
  return {
    platform: process.platform,
    docker,
    dockerRuntimes,
    dockerRootless: docker.facts?.rootless ?? false,
    podman,
    podmanRootless: podman.facts?.rootless ?? false,
    runscOnPath,
    runscVersion: binary ? await rememberedVersion(binary, () => runscVersion(binary)) : null,
  };
}

async function runscVersion(binary: string): Promise<string | null> {
  const result = await callCli(binary, ['--version'], 10_000);
  if (result.exitCode !== 0) return null;
  return /runsc version (\S+)/.exec(result.stdout)?.[1] ?? null;
}
