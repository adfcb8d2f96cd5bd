import { callProcess } from './cli-call.js';
import type { Engine } from './container-detect.js';
import { filtersQuery, getJson } from './engine-api.js';
import { OWNER_LABEL, RUN_LABEL } from './ownership.js';
import { STOP_GRACE_MS } from './types.js';

export interface ContainerEntry {
  name: string;
  running: boolean;
  /** The values of cc-iso's run and owner labels, when set. */
  run: string | undefined;
  owner: string | undefined;
}

/**
 * The containers carrying a label (`key` or `key=value`), running or not; null when the engine
 * could not tell. Docker's socket when there is one, else one CLI call (`engineArgs`: the global
 * flags that select another machine's engine, `--context NAME`).
 */
export async function listContainers(engine: Engine, socket: string | null, label: string, engineArgs: string[] = []): Promise<ContainerEntry[] | null> {
  if (socket) {
    const answer = await getJson(socket, `/containers/json?all=1&${filtersQuery({ label: [label] })}`);
    if (Array.isArray(answer)) return answer.flatMap(fromApi);
  }
  return engine === 'docker' ? listWithDocker(label, engineArgs) : listWithPodman(label, engineArgs);
}

async function listWithDocker(label: string, engineArgs: string[]): Promise<ContainerEntry[] | null> {
  const format = `{{.Names}}\t{{.State}}\t{{.Label "${RUN_LABEL}"}}\t{{.Label "${OWNER_LABEL}"}}`;
  const result = await quietly('docker', [...engineArgs, 'ps', '--all', '--filter', `label=${label}`, '--format', format]);
  if (result.exitCode !== 0) return null;
  return result.stdout.split('\n').filter((line) => line.trim()).map((line) => {
    const [name = '', state = '', run = '', owner = ''] = line.split('\t');
    return { name: name.trim(), running: state === 'running', run: run || undefined, owner: owner || undefined };
  });
}

async function listWithPodman(label: string, engineArgs: string[]): Promise<ContainerEntry[] | null> {
  const result = await quietly('podman', [...engineArgs, 'ps', '--all', '--filter', `label=${label}`, '--format', 'json']);
  if (result.exitCode !== 0) return null;
  try {
    const list = JSON.parse(result.stdout || '[]') as unknown;
    return Array.isArray(list) ? list.flatMap(fromApi) : null;
  } catch {
    return null;
  }
}

/** One entry of Docker's API answer or of `podman ps --format json` (the same field names). */
function fromApi(item: unknown): ContainerEntry[] {
  if (typeof item !== 'object' || item === null) return [];
  const { Names, State, Labels } = item as { Names?: unknown; State?: unknown; Labels?: unknown };
  const name = Array.isArray(Names) ? String(Names[0] ?? '').replace(/^\//, '') : '';
  if (!name) return [];
  const labels = (typeof Labels === 'object' && Labels !== null ? Labels : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof labels[key] === 'string' ? (labels[key] as string) : undefined);
  return [{ name, running: State === 'running', run: text(RUN_LABEL), owner: text(OWNER_LABEL) }];
}

export async function removeContainers(engine: Engine, names: string[], engineArgs: string[] = []): Promise<void> {
  if (names.length === 0) return;
  await quietly(engine, [...engineArgs, 'rm', '--force', ...names], 30_000);
}

/** `stop` with the grace period: the engine sends SIGTERM, then SIGKILL. */
export async function stopContainer(engine: Engine, name: string, engineArgs: string[] = []): Promise<void> {
  await quietly(engine, [...engineArgs, 'stop', '--time', String(Math.ceil(STOP_GRACE_MS / 1000)), name], STOP_GRACE_MS + 10_000);
}

/** Its own process group, so a ctrl-c meant for cc-iso does not cut a cleanup call short. */
function quietly(file: string, args: string[], timeoutMs = 15_000) {
  return callProcess(file, args, { timeoutMs, detached: true });
}
