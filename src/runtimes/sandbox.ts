import { chown, stat } from 'node:fs/promises';
import { formatDuration } from '../domain/duration.js';
import { listSandboxes, removeSandbox, stopSandbox, type SandboxCli } from './sandbox-cli.js';
import { detectLegacy } from './sandbox-legacy.js';
import { baseDetection, detectSbx, installHint, type DetectOptions } from './sandbox-sbx.js';
import { isOwnSandbox, ownerOfSandbox, sandboxName } from './ownership.js';
import { spawnLines } from './spawn-lines.js';
import type { Detection, ExecIO, ExecRequest, Execution, InUse, Isolation, OutputStream, PrepareOptions, Runtime } from './types.js';

/** A cold create pulls the template image: tens of seconds, minutes on a slow line. */
const CREATE_TIMEOUT_MS = 300_000;
/** The template's agent user, who must be able to write a workspace cc-iso made as root. */
const AGENT_UID = 1000;

/** What `prepare()` and `clean()` need from detection: the CLI it chose (also when a prerequisite is missing). */
export interface SandboxFacts {
  cli: SandboxCli | null;
}

/**
 * Mode B: a Docker Sandboxes microVM through `sbx`, or through the legacy `docker sandbox` plugin
 * when `sbx` is not installed. The headless path: create → exec each step (no TTY) → remove.
 */
export class SandboxRuntime implements Runtime<SandboxFacts> {
  readonly mode = 'sandbox' as const;
  private readonly options: DetectOptions;

  /** timeoutMs bounds each CLI call of detection: a prompt or a stuck daemon must not block it. */
  constructor(options: Partial<DetectOptions> = {}) {
    this.options = {
      timeoutMs: options.timeoutMs ?? 15_000,
      platform: options.platform ?? process.platform,
      kvmDevice: options.kvmDevice ?? '/dev/kvm',
    };
  }

  async detect(): Promise<Detection<SandboxFacts>> {
    const found = (await detectSbx(this.options)) ?? (await detectLegacy(this.options));
    if (!found) {
      return {
        ...baseDetection(null),
        reason: 'neither `sbx` nor the `docker sandbox` plugin is installed',
        fix: installHint(this.options.platform),
        facts: { cli: null },
      };
    }
    return { ...found.detection, facts: { cli: found.cli } };
  }

  async prepare(options: PrepareOptions<SandboxFacts>): Promise<Isolation> {
    const { available, reason, fix, facts } = options.detection;
    if (!available || !facts?.cli) throw new Error(`sandbox is unavailable: ${reason}${fix ? ` — ${fix}` : ''}`);
    return createSandbox(facts.cli, options);
  }

  /** Only sandboxes with cc-iso's exact name pattern: never a user's own `cc-iso-…` sandbox. */
  async clean(inUse: InUse): Promise<string[]> {
    const cli = (await this.detect()).facts?.cli;
    if (!cli) return [];
    const names = ((await listSandboxes(cli)) ?? [])
      .map((entry) => entry.name)
      .filter((name) => isOwnSandbox(name) && !inUse(name, ownerOfSandbox(name)));
    const removed: string[] = [];
    for (const name of names) if (await removeSandbox(cli, name)) removed.push(name);
    return removed;
  }
}

/** `create --name cc-iso-<runId>.<owner> claude <workspace>`: the workspace appears at the same path inside. */
async function createSandbox(cli: SandboxCli, options: PrepareOptions): Promise<Isolation> {
  const name = sandboxName(options.runId);
  if (options.adoptWorkspace && (await stat(options.workspace)).uid === 0) {
    await chown(options.workspace, AGENT_UID, AGENT_UID);
  }
  const isolation = new SandboxIsolation(cli, name, options.workspace);
  const tail: string[] = [];
  const deadline = AbortSignal.timeout(CREATE_TIMEOUT_MS);
  const outcome = await spawnLines(cli.file, [...cli.prefix, 'create', '--name', name, 'claude', options.workspace], {
    signal: AbortSignal.any([options.signal, deadline]),
    onLine: (_stream, text) => {
      tail.push(text);
      if (tail.length > 8) tail.shift();
      options.onLine(text);
    },
  }).done;
  if (outcome.exitCode === 0 && !options.signal.aborted) return isolation;
  // The client is gone (killed on abort); a half-made sandbox may remain.
  await isolation.dispose();
  if (options.signal.aborted) throw new Error(`${cli.label} create cancelled`);
  if (deadline.aborted) throw new Error(`${cli.label} create did not finish within ${formatDuration(CREATE_TIMEOUT_MS)}`);
  const how = outcome.spawnError ?? `exit ${outcome.exitCode ?? outcome.signal}`;
  throw new Error(`${cli.label} create ${name} failed (${how}):\n${tail.join('\n')}`);
}

class SandboxIsolation implements Isolation {
  /** The sandbox's proxy injects the credential: cc-iso passes none in. */
  readonly credentialPath = 'proxy' as const;
  readonly networkNote = 'through the sandbox\'s filtering proxy';

  constructor(
    private readonly cli: SandboxCli,
    private readonly name: string,
    readonly workspaceInside: string,
  ) {}

  exec(request: ExecRequest, io: ExecIO): Execution {
    // No -t (TTY codes would garble the stream) and no -i (nothing to feed). `-e NAME` without a
    // value: the CLI reads it from our child's environment, so no value enters an argument list.
    const envFlags = Object.keys(request.env).flatMap((key) => ['-e', key]);
    const args = [
      ...this.cli.prefix, 'exec', ...envFlags, '-w', this.workspaceInside, this.name, ...request.argv,
    ];
    return spawnLines(this.cli.file, args, {
      env: request.env,
      onLine: withAuthHint(io.onLine, this.cli.authHint),
      signal: io.signal,
      // Killing the exec client leaves the command running inside: stop the sandbox itself.
      stop: () => stopSandbox(this.cli, this.name),
    });
  }

  async leftovers(): Promise<string[]> {
    return ((await listSandboxes(this.cli)) ?? []).filter((entry) => entry.name === this.name).map((entry) => entry.name);
  }

  async runningAfterExit(): Promise<string[]> {
    const entries = (await listSandboxes(this.cli)) ?? [];
    return entries.filter((entry) => entry.name === this.name && entry.status === 'running').map((entry) => entry.name);
  }

  async dispose(): Promise<void> {
    await removeSandbox(this.cli, this.name).catch(() => false);
  }
}

const AUTH_FAILURE = /Not logged in|Invalid API key|Failed to authenticate|authentication_error|OAuth token has expired/;

/** After the first line that says Claude could not authenticate, one line saying where the sandbox's credential comes from. */
function withAuthHint(
  onLine: (stream: OutputStream, text: string) => void,
  hint: string,
): (stream: OutputStream, text: string) => void {
  let hinted = false;
  return (stream, text) => {
    onLine(stream, text);
    if (hinted || !AUTH_FAILURE.test(text)) return;
    hinted = true;
    onLine('stderr', `cc-iso: ${hint}`);
  };
}
