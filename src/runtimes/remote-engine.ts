import { callProcess } from './cli-call.js';
import { isEngineUrl, urlTransport, type EngineCli, type TargetDetection, type TargetTransport } from '../domain/targets.js';

export type { EngineCli, TargetDetection };

/**
 * How the engine CLI reaches a target: global flags only (`--context`, `--host`, `--connection`,
 * `--url`). Nothing about a credential ever goes into them or into a context file.
 */
export interface EngineEndpoint {
  engine: EngineCli;
  /** As the user named it: a context, a connection or an engine URL. */
  target: string;
  kind: 'docker-context' | 'podman-connection' | 'url';
  args: string[];
  /** The engine URL behind a context or connection; null when it could not be read. */
  url: string | null;
  /** null when the context or connection does not exist. */
  transport: TargetTransport | null;
}

/** Short calls: nothing is typed in (an ssh prompt fails instead of waiting), 15 s at most. */
const quick = (engine: EngineCli, args: string[], signal?: AbortSignal) => callProcess(engine, args, { timeoutMs: 15_000, signal });

function tlsFromEnv(): boolean {
  const value = process.env.DOCKER_TLS_VERIFY;
  return value !== undefined && value !== '' && value !== '0';
}

/** Resolves a target for one engine CLI: a URL directly, a name through the CLI's own list. */
export async function resolveEndpoint(engine: EngineCli, target: string): Promise<EngineEndpoint> {
  if (isEngineUrl(target)) {
    const args = engine === 'docker' ? ['--host', target] : ['--url', target];
    // Podman has no TLS client: a tcp:// Podman URL is plain.
    const transport = urlTransport(target, engine === 'docker' && tlsFromEnv());
    return { engine, target, kind: 'url', args, url: target, transport };
  }
  if (engine === 'docker') {
    const result = await quick('docker', ['context', 'inspect', target, '--format', '{{json .}}']);
    const args = ['--context', target];
    if (result.exitCode !== 0) return { engine, target, kind: 'docker-context', args, url: null, transport: null };
    const context = JSON.parse(result.stdout) as {
      Endpoints?: { docker?: { Host?: string } };
      TLSMaterial?: { docker?: string[] };
    };
    const url = context.Endpoints?.docker?.Host ?? null;
    const tls = (context.TLSMaterial?.docker?.length ?? 0) > 0;
    return { engine, target, kind: 'docker-context', args, url, transport: url ? urlTransport(url, tls) : null };
  }
  const connections = await podmanConnections();
  const found = connections.find((connection) => connection.name === target);
  const args = ['--connection', target];
  return {
    engine, target, kind: 'podman-connection', args,
    url: found?.url ?? null,
    transport: found ? urlTransport(found.url, false) : null,
  };
}

async function podmanConnections(): Promise<Array<{ name: string; url: string }>> {
  const result = await quick('podman', ['system', 'connection', 'ls', '--format', 'json']);
  if (result.exitCode !== 0) return [];
  try {
    const list = JSON.parse(result.stdout || '[]') as Array<{ Name: string; URI: string }>;
    return list.map((entry) => ({ name: entry.Name, url: entry.URI }));
  } catch {
    return [];
  }
}

async function dockerContexts(): Promise<string[]> {
  const result = await quick('docker', ['context', 'ls', '--format', '{{.Name}}']);
  if (result.exitCode !== 0) return [];
  // The default context is this machine's engine (or DOCKER_HOST): the local docker mode already.
  return result.stdout.split('\n').map((line) => line.trim()).filter((name) => name && name !== 'default');
}

/** Every Docker context and Podman connection configured on this machine. */
export async function listTargets(): Promise<EngineEndpoint[]> {
  const [contexts, connections] = await Promise.all([dockerContexts(), podmanConnections()]);
  const resolved = await Promise.all(contexts.map((name) => resolveEndpoint('docker', name)));
  return [
    ...resolved,
    ...connections.map((connection): EngineEndpoint => ({
      engine: 'podman', target: connection.name, kind: 'podman-connection',
      args: ['--connection', connection.name], url: connection.url, transport: urlTransport(connection.url, false),
    })),
  ];
}

/**
 * Asks the target's daemon who it is, and times the round trip: the best of three calls through
 * the engine CLI, less the best of three starts of the CLI alone (`--version`), which a local
 * engine's calls pay too. What is left is what reaching that machine adds to every engine call
 * (the network, TLS, an ssh connection), so startup net of it is not judged for distance.
 */
export async function probeEndpoint(endpoint: EngineEndpoint, signal?: AbortSignal): Promise<TargetDetection> {
  const base: TargetDetection = {
    engine: endpoint.engine, target: endpoint.target, kind: endpoint.kind, url: endpoint.url,
    transport: endpoint.transport, reachable: false, version: null, os: null, arch: null, kernel: null,
    rttMs: null, reason: null, fix: null,
  };
  if (endpoint.transport === null) {
    const what = endpoint.kind === 'docker-context' ? 'Docker context' : 'Podman connection';
    const fix = endpoint.kind === 'docker-context'
      ? '`docker context create NAME --docker host=ssh://user@host`, or use an engine URL'
      : '`podman system connection add NAME ssh://user@host/run/podman/podman.sock`, or use an engine URL';
    return { ...base, reason: `no ${what} named "${endpoint.target}"`, fix };
  }
  const format = endpoint.engine === 'docker'
    ? '{{.Server.Version}}|{{.Server.Os}}|{{.Server.Arch}}|{{.Server.KernelVersion}}'
    : '{{.Server.Version}}|{{.Server.OsArch}}';
  const times: number[] = [];
  const clientTimes: number[] = [];
  let stdout = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const clientStarted = performance.now();
    await quick(endpoint.engine, ['--version'], signal);
    clientTimes.push(performance.now() - clientStarted);
    const started = performance.now();
    const result = await quick(endpoint.engine, [...endpoint.args, 'version', '--format', format], signal);
    if (result.exitCode !== 0 || result.timedOut) {
      const message = result.timedOut ? 'no answer within 15 s' : lastLine(result.stderr) || `exit ${result.exitCode}`;
      return { ...base, reason: `unreachable: ${message}`, fix: reachFix(endpoint) };
    }
    times.push(performance.now() - started);
    stdout = result.stdout.trim();
  }
  const [version, os, arch, kernel] = stdout.split('|');
  const [podmanOs, podmanArch] = endpoint.engine === 'podman' ? (os ?? '').split('/') : [];
  return {
    ...base,
    reachable: true,
    version: version || null,
    os: (endpoint.engine === 'podman' ? podmanOs : os) || null,
    arch: (endpoint.engine === 'podman' ? podmanArch : arch) || null,
    kernel: endpoint.engine === 'podman' ? await podmanKernel(endpoint, signal) : kernel || null,
    rttMs: Math.round(Math.max(0, Math.min(...times) - Math.min(...clientTimes)) * 10) / 10,
  };
}

async function podmanKernel(endpoint: EngineEndpoint, signal?: AbortSignal): Promise<string | null> {
  const result = await quick('podman', [...endpoint.args, 'info', '--format', '{{.Host.Kernel}}'], signal);
  return result.exitCode === 0 ? result.stdout.trim() || null : null;
}

function reachFix(endpoint: EngineEndpoint): string {
  if (endpoint.transport === 'ssh') return `check \`ssh ${endpoint.url?.replace(/^ssh:\/\//, '').replace(/\/.*$/, '') ?? endpoint.target}\` works without a prompt (key, known host) and the engine runs there`;
  if (endpoint.transport === 'tls') return 'check the daemon is up and the TLS certificates (DOCKER_CERT_PATH or the context\'s) match';
  return 'check that the engine runs there and answers at that address';
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1)?.trim() ?? '';
}
