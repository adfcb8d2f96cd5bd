import { createRuntimes } from '../runtimes/registry.js';

/** Removes whatever crashed sessions left behind, found by cc-iso's labels and names. */
export async function cleanCommand(): Promise<number> {
  let removed = 0;
  for (const runtime of Object.values(createRuntimes())) {
    const names = await runtime.clean().catch(() => []);
    for (const name of names) process.stdout.write(`removed ${runtime.mode} ${name}\n`);
    removed += names.length;
  }
  process.stdout.write(removed === 0 ? 'nothing to clean\n' : `removed ${removed}\n`);
  return 0;
}
