import { belongsToLiveSession, forgetDeadSessions } from '../engine/live-sessions.js';
import { createRuntimes } from '../runtimes/registry.js';
import { RemoteContainerRuntime } from '../runtimes/remote-container.js';
import { listTargets } from '../runtimes/remote-engine.js';
import type { InUse, Runtime } from '../runtimes/types.js';
import { MODES } from '../domain/modes.js';
import { placementLabel, type Placement } from '../domain/targets.js';

/**
 * This machine's runtimes, then one per Docker context and Podman connection (each its own
 * target); or only the targets named (an engine URL too).
 */
async function everyRuntime(only: Placement[]): Promise<Array<{ name: string; runtime: Runtime }>> {
  if (only.length > 0) {
    return only.map((placement) => ({
      name: placementLabel(placement),
      runtime: new RemoteContainerRuntime(placement.mode, MODES[placement.mode].engine ?? 'docker', placement.target ?? ''),
    }));
  }
  const local = Object.values(createRuntimes()).map((runtime) => ({ name: runtime.mode as string, runtime }));
  const targets = (await listTargets()).map((endpoint) => ({
    name: `${endpoint.engine}@${endpoint.target}`,
    runtime: new RemoteContainerRuntime(endpoint.engine, endpoint.engine, endpoint.target),
  }));
  return [...local, ...targets];
}

/**
 * Removes whatever crashed sessions left behind, found by cc-iso's run label and name pattern;
 * what belongs to a session still running (in another terminal, under any environment) is kept:
 * each container and sandbox says which process owns it.
 */
export async function cleanCommand(only: Placement[] = []): Promise<number> {
  let removed = 0;
  let failed = false;
  for (const { name: where, runtime } of await everyRuntime(only)) {
    const kept: string[] = [];
    const inUse: InUse = (name, owner) => {
      const live = belongsToLiveSession(name, owner);
      if (live) kept.push(name);
      return live;
    };
    try {
      const names = await runtime.clean(inUse);
      for (const name of names) process.stdout.write(`removed ${where} ${name}\n`);
      removed += names.length;
    } catch (error) {
      failed = true;
      process.stderr.write(`cc-iso: could not clean ${where}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    for (const name of kept) process.stdout.write(`kept ${where} ${name}: its session is still running\n`);
  }
  forgetDeadSessions();
  process.stdout.write(removed === 0 ? 'nothing to clean\n' : `removed ${removed}\n`);
  return failed ? 1 : 0;
}
