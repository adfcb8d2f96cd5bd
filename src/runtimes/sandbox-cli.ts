import { callCli, type CliResult } from './cli-call.js';
import { parseSandboxList, type SandboxEntry } from './sandbox-json.js';

/** The sandbox CLI detection chose: `sbx`, or the legacy `docker sandbox` plugin. */
export interface SandboxCli {
  /** As the user types it, for messages. */
  readonly label: 'sbx' | 'docker sandbox';
  readonly file: string;
  /** Arguments before every subcommand: the plugin's name, or sbx's `--no-input` where supported. */
  readonly prefix: readonly string[];
  /** Removal without a confirmation prompt. */
  readonly remove: readonly string[];
  /** What to tell the user when Claude's authentication fails inside. */
  readonly authHint: string;
}

/** Timeout of the quick calls (ls, rm, stop): a prompt or a stuck daemon must never block. */
const CALL_TIMEOUT_MS = 30_000;

export function call(cli: SandboxCli, args: readonly string[], timeoutMs = CALL_TIMEOUT_MS): Promise<CliResult> {
  return callCli(cli.file, [...cli.prefix, ...args], timeoutMs);
}

/** Every sandbox the CLI lists, with its status where it says one, or null when it could not list them. */
export async function listSandboxes(cli: SandboxCli): Promise<SandboxEntry[] | null> {
  const result = await call(cli, ['ls', '--json']);
  if (result.exitCode !== 0) return null;
  return parseSandboxList(result.stdout);
}

/** Removes one sandbox; one that does not exist (any more) counts as removed. */
export async function removeSandbox(cli: SandboxCli, name: string): Promise<boolean> {
  const result = await call(cli, [...cli.remove, name]);
  return result.exitCode === 0 || isNotFound(result);
}

/** Stops the sandbox, and with it whatever runs inside: killing an `exec` client leaves that running. */
export async function stopSandbox(cli: SandboxCli, name: string): Promise<void> {
  await call(cli, ['stop', name]);
}

function isNotFound(result: CliResult): boolean {
  return result.exitCode !== 0 && /no sandbox named|not found/i.test(result.stderr);
}
