import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunWorkspace {
  path: string;
  remove(): Promise<void>;
}

/**
 * A fresh workspace for one run. It sits inside a folder only the invoking user can enter (mkdtemp
 * makes it 0700), so when an adapter hands the workspace itself to the agent's user (uid 1000 in
 * the image: on a shared machine, a real other person), that person still cannot reach it to
 * plant a CLAUDE.md or hooks while the run starts. The isolation mounts it by its full path.
 */
export async function makeRunWorkspace(runId: string): Promise<RunWorkspace> {
  const parent = await mkdtemp(join(tmpdir(), `cc-iso-${runId}-`));
  const path = join(parent, 'workspace');
  await mkdir(path, { mode: 0o700 });
  return { path, remove: () => rm(parent, { recursive: true, force: true }) };
}
