import { UsageError } from '../config/options.js';
import { helpOrVersion } from './usage.js';

/**
 * Every command's start: `--help` and `--version` are answered first; then the command runs and
 * its exit code, or its error as one line a person can act on, becomes the process's.
 */
export function startCommand(command: (argv: string[]) => Promise<number>, argv = process.argv.slice(2)): void {
  const early = helpOrVersion(argv);
  if (early !== null) {
    process.stdout.write(early);
    return;
  }
  command(argv).then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`cc-iso: ${error.message}\nRun \`cc-iso --help\` for the options.\n`);
        process.exitCode = 2;
        return;
      }
      // Preflight and credential errors carry their own fix; CC_ISO_DEBUG=1 shows where others came from.
      process.stderr.write(`cc-iso: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.CC_ISO_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
      process.exitCode = 1;
    },
  );
}
