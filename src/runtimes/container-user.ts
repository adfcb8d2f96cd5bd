import { chown, stat } from 'node:fs/promises';
import type { Engine } from './container-detect.js';

/** The uid of the image's non-root user (`node` in the official Node images). */
const IMAGE_UID = 1000;

export interface ContainerUser {
  args: string[];
  /** Variables the user mapping needs inside (HOME for a uid without one). */
  env: Record<string, string>;
}

/**
 * Who the agent runs as inside: the owner of the workspace, so that it can write there and the
 * files it writes belong to the same person on the host.
 * - rootless Podman: keep-id maps the host user to the same uid inside;
 * - rootless Docker: root inside is the host user (any other uid inside is a subordinate id that
 *   cannot write the workspace), so root, with IS_SANDBOX=1 (see below);
 * - a workspace owned by a normal user: that uid:gid (a laptop's uid 1000 is the image's `node`);
 * - a folder cc-iso made itself as root: handed to the image's non-root user `node`;
 * - a root-owned folder the user chose: root inside too (said so in the output), with
 *   IS_SANDBOX=1, which Claude Code requires before it bypasses permissions as root.
 */
export function chooseContainerUser(
  engine: Engine,
  rootless: boolean,
  workspace: { path: string; uid: number; gid: number; adopt: boolean },
): ContainerUser & { adopt: boolean; note: string | null } {
  const as = (args: string[], env: Record<string, string> = {}, note: string | null = null, adopt = false) => ({ args, env, note, adopt });
  if (rootless && engine === 'podman') return as(['--userns', 'keep-id']);
  if (rootless) return as(['--user', '0:0'], { IS_SANDBOX: '1' }, 'rootless Docker: the agent runs as root inside, which is you on the host');
  if (workspace.uid === 0 && workspace.adopt) return as(['--user', `${IMAGE_UID}:${IMAGE_UID}`], {}, null, true);
  if (workspace.uid === 0) {
    return as(['--user', '0:0'], { IS_SANDBOX: '1' }, `the workspace ${workspace.path} belongs to root, so the agent runs as root inside the container`);
  }
  // Any other uid has no home in the image; /tmp is writable by everyone.
  return as(['--user', `${workspace.uid}:${workspace.gid}`], workspace.uid === IMAGE_UID ? {} : { HOME: '/tmp' });
}

/** The user for this workspace; a folder cc-iso made as root is handed to the image's user first. */
export async function containerUser(
  engine: Engine,
  rootless: boolean,
  workspace: { path: string; adopt: boolean },
  onLine: (text: string) => void,
): Promise<ContainerUser> {
  const { uid, gid } = await stat(workspace.path);
  const user = chooseContainerUser(engine, rootless, { ...workspace, uid, gid });
  if (user.adopt) await chown(workspace.path, IMAGE_UID, IMAGE_UID);
  if (user.note) onLine(user.note);
  return user;
}
