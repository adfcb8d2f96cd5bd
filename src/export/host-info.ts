import { readFileSync } from 'node:fs';
import { arch, platform, release, userInfo } from 'node:os';

export interface HostInfo {
  os: string;
  arch: string;
  kernel: string;
  user: string;
}

/** The machine the comparison ran on, for the results' environment section. */
export function hostInfo(): HostInfo {
  let os: string = platform();
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty?.[1]) os = pretty[1];
  } catch {
    // Not Linux, or no os-release: the platform name will do.
  }
  const { uid, username } = userInfo();
  return { os, arch: arch(), kernel: release(), user: `${username} (uid ${uid})` };
}
