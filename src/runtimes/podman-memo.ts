import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileIdentity, memoFile } from './file-memo.js';
import { which } from './which.js';

/**
 * What one `podman images` told detection: Podman's version, the OCI runtime it resolved, the
 * containers.conf files it merged and cc-iso's image tags.
 */
export interface PodmanAnswer {
  version: string | null;
  ociRuntime: string;
  configFiles: string[];
  images: string[];
  /** Files besides Podman's own and its configuration the answer came from: conmon, init, the image store's index. */
  sources: string[];
}

export interface PodmanMemo {
  get(): PodmanAnswer | null;
  set(answer: PodmanAnswer): void;
}

/**
 * Podman has no daemon: what it answers is a function of its binary, its configuration, the
 * programs it names and its image store. The answer is remembered under the identities (path,
 * inode, size, mtime) of all of them and of the variables that move them, so an upgrade, an edited
 * or added containers.conf or storage.conf, a removed runc or catatonit, or any image built,
 * tagged or removed makes the next detection ask Podman again. Saves a Podman start (110-200 ms
 * on 2 cores) on every detection and every `run --mode podman`.
 */
export function filePodmanMemo(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.()): PodmanMemo {
  const store = memoFile(env, 'podman.json');
  const keyOf = (answer: PodmanAnswer) => podmanKey(answer, env, uid);
  return {
    get() {
      const stored = store.read();
      const answer = stored.answer as PodmanAnswer | undefined;
      if (!isAnswer(answer) || typeof stored.key !== 'string') return null;
      return stored.key === keyOf(answer) ? answer : null;
    },
    set(answer) {
      store.write({ key: keyOf(answer), answer });
    },
  };
}

/**
 * Variables that choose Podman's configuration, storage or service. Not PATH: the binaries it
 * picks (podman, the OCI runtime, conmon, catatonit) are in the key themselves, and a tool that
 * only prepends its own folder (pyenv, npx) must not make the answer look new.
 */
const PODMAN_VARIABLES = ['CONTAINERS_CONF', 'CONTAINERS_CONF_OVERRIDE', 'CONTAINERS_STORAGE_CONF', 'CONTAINER_HOST', 'CONTAINER_CONNECTION', 'XDG_CONFIG_HOME', 'XDG_RUNTIME_DIR'];

function podmanKey(answer: PodmanAnswer, env: NodeJS.ProcessEnv, uid: number | undefined): string {
  const podman = which('podman', env.PATH ?? '');
  const files = [podman, answer.ociRuntime, ...answer.configFiles, ...answer.sources, ...configPlaces(env)];
  return JSON.stringify([
    uid ?? null,
    PODMAN_VARIABLES.map((name) => env[name] ?? null),
    files.map((file) => (file ? fileIdentity(file) : null)),
  ]);
}

/** Where containers.conf and storage.conf may be, whether or not they were read last time. */
function configPlaces(env: NodeJS.ProcessEnv): string[] {
  const user = join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'containers');
  return ['/usr/share/containers', '/etc/containers', user].flatMap((dir) => [
    join(dir, 'containers.conf'),
    join(dir, 'containers.conf.d'),
    join(dir, 'storage.conf'),
  ]);
}

function isAnswer(value: unknown): value is PodmanAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as Partial<PodmanAnswer>;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  return typeof answer.ociRuntime === 'string' && strings(answer.configFiles) && strings(answer.images) && strings(answer.sources) &&
    (answer.version === null || typeof answer.version === 'string');
}
