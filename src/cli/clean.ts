import { belongsToLiveSession, forgetDeadSessions } from '../engine/live-sessions.js';
import { createRuntimes } from '../runtimes/registry.js';

/**
 * Removes whatever crashed sessions left behind, found by cc-iso's labels and names; what belongs
 * to a session still running (in another terminal) is kept.
 */
export async function cleanCommand(): Promise<number> {
  let removed = 0;
  let failed = false;
  for (const runtime of Object.values(createRuntimes())) {
    const kept: string[] = [];
    const inUse = (name: string) => {
      const live = belongsToLiveSession(name);
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
