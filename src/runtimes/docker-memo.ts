import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileIdentity, memoFile } from './file-memo.js';

/** The fields of Docker's `/info` that detection reads. */
export const INFO_FIELDS = ['ServerVersion', 'OperatingSystem', 'SecurityOptions', 'Runtimes', 'DefaultRuntime', 'KernelVersion'] as const;

export type DockerInfo = Partial<Record<(typeof INFO_FIELDS)[number], unknown>>;

export interface DockerMemo {
  /** `/info` as it was for this daemon, when nothing says it changed; `server` is the `Server` header of `/_ping`. */
  get(socket: string, server: string): DockerInfo | null;
  set(socket: string, server: string, info: DockerInfo): void;
}

/**
 * Docker's `/info` takes 25 ms on an idle daemon and three times that while the machine is busy
 * starting cc-iso; `/_ping` takes one. What detection reads from `/info` (version, rootless, the
 * OCI runtimes, the kernel) changes only when the daemon restarts or reloads its configuration,
 * the machine reboots or Docker is upgraded. So it is remembered per socket under the `Server`
 * header of `/_ping` (the daemon's version, asked every time), the boot id, the daemon's pid file
 * (rewritten at every start), its daemon.json files (a reload re-reads them) and the socket
 * itself. The daemon is still asked every time whether it answers and which images it has.
 */
export function fileDockerMemo(env: NodeJS.ProcessEnv = process.env): DockerMemo {
  const store = memoFile(env, 'docker.json');
  const keyOf = (socket: string, server: string) => JSON.stringify([server, bootId(), ...daemonFiles(socket, env).map(fileIdentity)]);
  return {
    get(socket, server) {
      const entry = store.read()[socket] as { key?: unknown; info?: unknown } | undefined;
      if (!entry || entry.key !== keyOf(socket, server) || typeof entry.info !== 'object' || entry.info === null) return null;
      return entry.info as DockerInfo;
    },
    set(socket, server, info) {
      const kept = Object.fromEntries(INFO_FIELDS.filter((field) => field in info).map((field) => [field, info[field]]));
      store.write({ ...store.read(), [socket]: { key: keyOf(socket, server), info: kept } });
    },
  };
}

/** The socket, the pid files of a rootful and a rootless daemon, and the daemon.json each reads. */
function daemonFiles(socket: string, env: NodeJS.ProcessEnv): string[] {
  const rootless = env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'docker.pid')] : [];
  const userConfig = join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'docker', 'daemon.json');
  return [socket, '/var/run/docker.pid', ...rootless, '/etc/docker/daemon.json', userConfig];
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}
