import { readdir, readFile } from 'node:fs/promises';
import { execa } from 'execa';

/** Processes still carrying an srt run's marker variable (srt itself, its socat bridges, bwrap, the command). */
export async function srtRunProcesses(): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    if (!environ.split('\0').some((entry) => entry.startsWith('CC_ISO_SRT_RUN='))) continue;
    found.push(`${pid} ${(await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim()}`);
  }
  return found;
}

/**
 * Programs srt starts (bubblewrap, socat, its own CLI) still running, as `ps` shows them. A zombie
 * has ended already and waits for its new parent (here PID 1) to reap it: it does not count.
 */
export async function srtProgramsRunning(): Promise<string[]> {
  const ps = await execa('ps', ['-eo', 'pid=,stat=,args='], { reject: false });
  return String(ps.stdout)
    .split('\n')
    .filter((line) => !/^\s*\d+\s+Z/.test(line))
    .filter((line) => /\b(bwrap|socat)\b|sandbox-runtime\/dist\/cli\.js/.test(line));
}

/**
 * gVisor sandboxes runsc still knows for Docker's containers. Docker 20.10 runs runsc through the
 * runc v2 shim, whose state folder is runtime-runc (newer Dockers name it after the runtime).
 */
export async function runscSandboxes(
  roots = ['/var/run/docker/runtime-runc/moby', '/var/run/docker/runtime-runsc/moby'],
): Promise<string[]> {
  const found: string[] = [];
  for (const root of roots) {
    const listed = await execa('runsc', ['--root', root, 'list', '-quiet'], { reject: false });
    if (listed.exitCode === 0) found.push(...String(listed.stdout).split('\n').filter(Boolean));
  }
  return found;
}
