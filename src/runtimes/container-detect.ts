import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { callCli, firstLine, type CliCall, type CliResult } from './cli-call.js';
import { onPath } from './which.js';
import { fileDockerMemo, type DockerMemo } from './docker-memo.js';
import { dockerSocket, filtersQuery, getJson, pingServer, type ApiGet } from './engine-api.js';
import { IMAGE_REPOSITORY } from './image.js';
import type { Detection } from './types.js';
import { filePodmanMemo, type PodmanAnswer, type PodmanMemo } from './podman-memo.js';
import { fileVersionMemo, type VersionMemo } from './version-memo.js';

export type Engine = 'docker' | 'podman';

/** What `prepare()` needs from a container engine's detection. */
export interface ContainerFacts {
  rootless: boolean;
  /** The engine runs containers in a VM (Docker Desktop, `podman machine`): its host network is not the host's loopback. */
  desktop: boolean;
  /** cc-iso's image tags the engine has (`cc-iso-agent:<hash>`); null when detection did not list them. */
  images: string[] | null;
  /** Docker's API socket, when the CLI talks to a local one: listing asks it instead of the CLI. */
  socket: string | null;
  /** Docker's registered OCI runtimes by the name `--runtime` takes (gvisor looks for runsc here); null for Podman. */
  ociRuntimes: Record<string, OciRuntimeEntry> | null;
}

/** An OCI runtime as `docker info` lists it: a binary path with arguments, or a containerd shim. */
export interface OciRuntimeEntry {
  path?: string;
  runtimeArgs?: string[];
  runtimeType?: string;
}

export type ContainerDetection = Detection<ContainerFacts>;

/** What detection reads the machine through; tests pass their own. */
export interface DetectDeps {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  uid: number | undefined;
  run: CliCall;
  get: ApiGet;
  /** `/_ping`'s Server header, null when the daemon does not answer. */
  ping(socket: string): Promise<string | null>;
  exists(path: string): boolean;
  read(path: string): string | null;
  versions: VersionMemo;
  podman: PodmanMemo;
  docker: DockerMemo;
}

export const realDeps = (): DetectDeps => ({
  env: process.env,
  platform: process.platform,
  uid: process.getuid?.(),
  run: callCli,
  get: getJson,
  ping: pingServer,
  exists: existsSync,
  read: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  versions: fileVersionMemo(),
  podman: filePodmanMemo(),
  docker: fileDockerMemo(),
});

const TIMEOUT_MS = 15_000;

/**
 * Docker: its API socket when the CLI talks to a local one (two HTTP questions, a few ms), else
 * `docker info`. Podman: one `images` call whose debug log names the OCI runtime and the
 * configuration files (and `--version` the first time a binary is seen), instead of `podman info`
 * (which asks dpkg about every helper binary, seconds on Debian); `podman info` only for a remote
 * Podman (`podman machine`).
 */
export function detectEngine(engine: Engine, deps?: DetectDeps): Promise<ContainerDetection> {
  if (deps) return engine === 'docker' ? detectDocker(deps) : detectPodman(deps);
  // The engine's own mode and gvisor ask at the same time: one question, one answer for both.
  let pending = inFlight.get(engine);
  if (!pending) {
    pending = detectEngine(engine, realDeps()).finally(() => inFlight.delete(engine));
    inFlight.set(engine, pending);
  }
  return pending;
}

const inFlight = new Map<Engine, Promise<ContainerDetection>>();

function baseDetection(engine: Engine): ContainerDetection {
  return { mode: engine, available: false, runtime: null, version: null, details: [], reason: null, fix: null };
}

async function detectDocker(deps: DetectDeps): Promise<ContainerDetection> {
  const base = baseDetection('docker');
  const socket = dockerSocket(deps.env, deps.platform);
  if (socket && onPath('docker', deps.env.PATH)) {
    // Whether it answers, its version and the images: asked every time. /info only when the memo cannot vouch for it.
    const [server, images] = await Promise.all([
      deps.ping(socket),
      deps.get(socket, `/images/json?${filtersQuery({ reference: [IMAGE_REPOSITORY] })}`),
    ]);
    const remembered = server ? deps.docker.get(socket, server) : null;
    const info = remembered ?? (server ? await deps.get(socket, '/info') : null);
    if (isObject(info)) {
      if (!remembered && server) deps.docker.set(socket, server, info);
      return readDockerInfo(base, info, { socket, images: imageTags(images) });
    }
  }
  // No local socket, or it did not answer: the CLI says why in its own words.
  const result = await deps.run('docker', ['info', '--format', '{{json .}}'], TIMEOUT_MS);
  const failed = cliFailure('docker', base, result);
  if (failed) return failed;
  const info = parseJson(result.stdout);
  if (!isObject(info)) return notJson('docker', base);
  return readDockerInfo(base, info, { socket: null, images: null });
}

function readDockerInfo(
  base: ContainerDetection,
  info: Record<string, unknown>,
  found: Pick<ContainerFacts, 'socket' | 'images'>,
): ContainerDetection {
  const desktop = /docker desktop/i.test(String(info.OperatingSystem ?? ''));
  const security = Array.isArray(info.SecurityOptions) ? info.SecurityOptions.map(String) : [];
  const rootless = security.some((option) => option.includes('rootless'));
  const ociRuntimes = (isObject(info.Runtimes) ? info.Runtimes : {}) as Record<string, OciRuntimeEntry>;
  const runtimes = Object.keys(ociRuntimes);
  return {
    ...base,
    available: true,
    runtime: desktop ? 'Docker Desktop' : 'Docker Engine',
    version: String(info.ServerVersion ?? '') || null,
    details: [
      rootless ? 'rootless' : 'rootful',
      `OCI runtimes: ${runtimes.join(', ') || 'unknown'} (default ${String(info.DefaultRuntime ?? '?')})`,
      `kernel ${String(info.KernelVersion ?? '?')}`,
    ],
    facts: { rootless, desktop, ociRuntimes, ...found },
  };
}

async function detectPodman(deps: DetectDeps): Promise<ContainerDetection> {
  const base = baseDetection('podman');
  const remembered = deps.podman.get();
  if (remembered) return localPodman(base, remembered, deps).detection;
  // The images call is the one detection waits for: started first.
  const listing = deps.run('podman', ['--log-level=debug', 'images', '--filter', `reference=${IMAGE_REPOSITORY}`, '--format', '{{.Repository}}:{{.Tag}}'], TIMEOUT_MS);
  const known = deps.versions.get('podman');
  const [images, asked] = await Promise.all([listing, known ? null : deps.run('podman', ['--version'], TIMEOUT_MS)]);
  const failed = cliFailure('podman', base, images) ?? (asked && cliFailure('podman', base, asked));
  if (failed) return failed;
  const version = known ?? /(\d+\.\d+\.\d+\S*)/.exec(asked?.stdout ?? '')?.[1] ?? null;
  if (version && !known) deps.versions.set('podman', version);
  const tags = images.stdout.split('\n').map((line) => line.trim().replace(/^localhost\//, '')).filter(Boolean);
  const log = readDebugLog(images.stderr);
  // No OCI runtime in the log: the client talks to a remote service (`podman machine`), which only `info` describes.
  if (!log.ociRuntime) return detectRemotePodman(deps, base, tags);
  const answer = { version, ociRuntime: log.ociRuntime, configFiles: log.configFiles, images: tags };
  const { detection, init } = localPodman(base, answer, deps);
  // Remembered only when the log named the image store, whose index changes with every image.
  if (detection.available && log.imageIndex) deps.podman.set({ ...answer, sources: [log.imageIndex, ...(log.conmon ? [log.conmon] : []), ...(init ? [init] : [])] });
  return detection;
}

/** A local Podman's detection from what `podman images` said (now or remembered), and the init binary it found. */
function localPodman(base: ContainerDetection, answer: Omit<PodmanAnswer, 'sources'>, deps: DetectDeps): { detection: ContainerDetection; init: string | null } {
  const rootless = deps.uid !== undefined && deps.uid !== 0;
  const detection: ContainerDetection = {
    ...base,
    available: true,
    runtime: rootless ? 'Podman (rootless)' : 'Podman (rootful)',
    version: answer.version,
    details: [rootless ? 'rootless' : 'rootful', `OCI runtime: ${basename(answer.ociRuntime)}`, `kernel ${release()}`],
    facts: { rootless, desktop: false, images: answer.images, socket: null, ociRuntimes: null },
  };
  const init = findPodmanInit(answer.configFiles, deps);
  if (init.found) return { detection, init: init.path };
  return {
    init: null,
    detection: {
      ...detection,
      available: false,
      reason: `Podman has no container init (${init.looked}), and every run starts with --init`,
      fix: 'install it: `sudo apt-get install catatonit` (or set init_path in containers.conf)',
    },
  };
}

async function detectRemotePodman(deps: DetectDeps, base: ContainerDetection, images: string[]): Promise<ContainerDetection> {
  const result = await deps.run('podman', ['info', '--format', '{{json .}}'], TIMEOUT_MS);
  const failed = cliFailure('podman', base, result);
  if (failed) return failed;
  const info = parseJson(result.stdout);
  if (!isObject(info)) return notJson('podman', base);
  const host = isObject(info.host) ? info.host : {};
  const security = isObject(host.security) ? host.security : {};
  const oci = isObject(host.ociRuntime) ? host.ociRuntime : {};
  const version = isObject(info.version) ? String(info.version.Version ?? '') : '';
  const rootless = security.rootless === true;
  return {
    ...base,
    available: true,
    runtime: rootless ? 'Podman (rootless)' : 'Podman (rootful)',
    version: version || null,
    details: [rootless ? 'rootless' : 'rootful', `OCI runtime: ${String(oci.name ?? 'unknown')}`, `kernel ${String(host.kernel ?? '?')}`],
    // On macOS and Windows the service runs in a VM, like Docker Desktop's.
    facts: { rootless, desktop: deps.platform !== 'linux', images, socket: null, ociRuntimes: null },
  };
}

interface PodmanLog {
  ociRuntime: string | null;
  configFiles: string[];
  conmon: string | null;
  /** The image store's index (`<graph root>/<driver>-images/images.json`), rewritten with every image change. */
  imageIndex: string | null;
}

/** What Podman's debug log says it resolved: the OCI runtime, conmon, the containers.conf files it merged, its image store. */
export function readDebugLog(stderr: string): PodmanLog {
  const configFiles: string[] = [];
  let ociRuntime: string | null = null;
  let conmon: string | null = null;
  let graphRoot: string | null = null;
  let driver: string | null = null;
  for (const line of stderr.split('\n')) {
    const config = /Merged system config \\?"([^"\\]+)\\?"/.exec(line)?.[1];
    if (config) configFiles.push(config);
    ociRuntime = /Using OCI runtime \\?"([^"\\]+)\\?"/.exec(line)?.[1] ?? ociRuntime;
    conmon = /Using conmon: \\?"([^"\\]+)\\?"/.exec(line)?.[1] ?? conmon;
    graphRoot = /Using graph root (\/[^"\s\\]+)/.exec(line)?.[1] ?? graphRoot;
    driver = /(?:using prior storage driver: |Using graph driver )(\w+)/.exec(line)?.[1] ?? driver;
  }
  const imageIndex = graphRoot && driver ? join(graphRoot, `${driver}-images`, 'images.json') : null;
  return { ociRuntime, configFiles, conmon, imageIndex };
}

/** Where Podman looks for the init binary of `--init` when containers.conf names none. */
const HELPER_DIRS = ['/usr/local/libexec/podman', '/usr/local/lib/podman', '/usr/libexec/podman', '/usr/lib/podman'];

/**
 * The init binary `run --init` needs: containers.conf's `init_path` (the last file that sets it),
 * else catatonit in Podman's helper folders or on PATH. Podman installed without its recommended
 * packages has none, and then every `run --init` fails with exit 125.
 */
export function findPodmanInit(configFiles: string[], deps: Pick<DetectDeps, 'exists' | 'read' | 'env'>): { found: boolean; path: string | null; looked: string } {
  let configured: string | null = null;
  for (const file of configFiles) configured = initPathIn(deps.read(file) ?? '') ?? configured;
  if (configured) {
    const found = deps.exists(configured);
    return { found, path: found ? configured : null, looked: `${configured} is missing` };
  }
  const dirs = [...HELPER_DIRS, ...(deps.env.PATH ?? '').split(delimiter).filter(Boolean)];
  const path = dirs.map((dir) => join(dir, 'catatonit')).find((candidate) => deps.exists(candidate)) ?? null;
  return { found: path !== null, path, looked: 'catatonit not found' };
}

/** `init_path = "…"` under [containers] or [engine] of one containers.conf. */
function initPathIn(toml: string): string | null {
  let section = '';
  let found: string | null = null;
  for (const line of toml.split('\n')) {
    const header = /^\s*\[([^\]]+)\]/.exec(line)?.[1];
    if (header) section = header.trim();
    const value = /^\s*init_path\s*=\s*"([^"]*)"/.exec(line)?.[1];
    if (value && (section === 'containers' || section === 'engine')) found = value;
  }
  return found;
}

/** An unavailable detection from a CLI call that failed; null when it succeeded. */
function cliFailure(engine: Engine, base: ContainerDetection, result: CliResult): ContainerDetection | null {
  if (result.missing) return { ...base, reason: `${engine} is not installed`, fix: installHint(engine) };
  if (result.timedOut) return { ...base, reason: `${engine} did not answer within 15 s`, fix: startHint(engine, '') };
  if (result.exitCode === 0) return null;
  // Podman's debug lines come before its error.
  const stderr = result.stderr.split('\n').filter((line) => !line.startsWith('time=')).join('\n');
  const message = firstLine(stderr) || `${engine} exited with ${result.exitCode}`;
  return { ...base, reason: `${engineName(engine)}: daemon not running (${message})`, fix: startHint(engine, stderr) };
}

function notJson(engine: Engine, base: ContainerDetection): ContainerDetection {
  return { ...base, reason: `${engine} info printed something that is not JSON`, fix: 'Check the engine installation' };
}

function imageTags(list: unknown): string[] | null {
  if (!Array.isArray(list)) return null;
  return list.flatMap((image: unknown) => (isObject(image) && Array.isArray(image.RepoTags) ? image.RepoTags.map(String) : []));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function engineName(engine: Engine): string {
  return engine === 'docker' ? 'Docker' : 'Podman';
}

function installHint(engine: Engine): string {
  return engine === 'docker'
    ? 'install Docker Desktop, or Docker Engine (`sudo apt-get install docker.io`)'
    : 'install Podman (`sudo apt-get install podman`, `brew install podman`)';
}

function startHint(engine: Engine, stderr: string): string {
  if (engine === 'podman') {
    if (/machine|connection refused|unable to connect/i.test(stderr)) return 'start it: `podman machine start`';
    return 'check `podman info` (on Linux: `sudo systemctl start podman.socket` for the service)';
  }
  if (/permission denied/i.test(stderr)) return 'add your user to the `docker` group, or run rootless Docker';
  return process.platform === 'linux'
    ? 'start it: `sudo systemctl start docker` (or `sudo dockerd &`)'
    : 'start Docker Desktop';
}
