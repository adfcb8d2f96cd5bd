import { belongsToLiveSession, forgetDeadSessions } from '../engine/live-sessions.js';
import { createRuntimes } from '../runtimes/registry.js';
import type { InUse } from '../runtimes/types.js';

/**
 * Removes whatever crashed sessions left behind, found by cc-iso's run label and name pattern;
 * what belongs to a session still running (in another terminal, under any environment) is kept:
 * each container and sandbox says which process owns it.
 */
export async function cleanCommand(): Promise<number> {
  let removed = 0;
  let failed = false;
  for (const runtime of Object.values(createRuntimes())) {
    const kept: string[] = [];
    const inUse: InUse = (name, owner) => {
      const live = belongsToLiveSession(name, owner);
      if (live) kept.push(name);
      return live;
    };
    try {
      const names = await runtime.clean(inUse);
      for (const name of names) process.stdout.write(`removed ${runtime.mode} ${name}\n`);
      removed += names.length;
    } catch (error) {
      failed = true;
      process.stderr.write(`cc-iso: could not clean ${runtime.mode}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    for (const name of kept) process.stdout.write(`kept ${runtime.mode} ${name}: its session is still running\n`);
  }
  forgetDeadSessions();
  process.stdout.write(removed === 0 ? 'nothing to clean\n' : `removed ${removed}\n`);
  return failed ? 1 : 0;
}
