import { readFileSync } from 'node:fs';
import { arch, platform, release, userInfo } from 'node:os';

export interface HostInfo {
  os: string;
  arch: string;
  kernel: string;
  user: string;
}

/** The machine the comparison ran on, for the results' environment section. */
export function hostInfo(readUser: () => { uid: number; username: string } = userInfo): HostInfo {
  let os: string = platform();
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty?.[1]) os = pretty[1];
  } catch {
    // Not Linux, or no os-release: the platform name will do.
  }
  return { os, arch: arch(), kernel: release(), user: describeUser(readUser) };
}

/** "alice (uid 1000)"; a uid without a passwd entry (a container's --user, a sandbox) is still a user. */
function describeUser(readUser: () => { uid: number; username: string }): string {
  try {
    const { uid, username } = readUser();
    return `${username} (uid ${uid})`;
  } catch {
    // os.userInfo() throws when the uid has no passwd entry.
    const uid = process.getuid?.();
    const name = process.env.USER || process.env.LOGNAME;
    return uid === undefined ? (name ?? 'unknown') : `${name ?? 'no passwd entry'} (uid ${uid})`;
  }
}
