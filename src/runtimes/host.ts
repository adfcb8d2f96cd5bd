import { mkdtemp, rm } from 'node:fs/promises';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { callProcess } from './cli-call.js';
import { onPath } from './which.js';
import { spawnLines } from './spawn-lines.js';
import { rememberedVersion } from './version-memo.js';
import type { Detection, ExecIO, ExecRequest, Execution, Isolation, PrepareOptions, Runtime } from './types.js';

async function askClaudeVersion(): Promise<string | null> {
  const claude = await callProcess('claude', ['--version'], { timeoutMs: 15_000 });
  return claude.exitCode === 0 ? (claude.stdout.split(' ')[0] ?? null) : null;
}

/** No isolation: the baseline every other mode is compared with. */
export class HostRuntime implements Runtime {
  readonly mode = 'host' as const;

  async detect(): Promise<Detection> {
    // Found on PATH without starting anything; only an installed claude is asked its version.
    const available = onPath('sh');
    // claude is a Node program (a third of a second to start): its version is remembered per binary.
    const claudeVersion = onPath('claude') ? await rememberedVersion('claude', askClaudeVersion) : null;
    return {
      mode: 'host',
      available,
      runtime: `${process.platform} ${process.arch}`,
      version: release(),
      details: [
        'no isolation (baseline)',
        claudeVersion
          ? `claude ${claudeVersion}`
          : 'claude not installed on the host (`npm install -g @anthropic-ai/claude-code`); probe and command still run',
      ],
      reason: available ? null : 'no POSIX `sh` on this machine',
      fix: available ? null : 'install a POSIX shell',
    };
  }

  async prepare(options: PrepareOptions): Promise<Isolation> {
    // Claude keeps sockets and scratch folders under TMPDIR: each run gets its own.
    return new HostIsolation(options.workspace, await mkdtemp(join(tmpdir(), `cc-iso-tmp-${options.runId}-`)));
  }

  async clean(): Promise<string[]> {
    return [];
  }
}

class HostIsolation implements Isolation {
  readonly credentialPath = 'environment' as const;
  readonly networkNote = null;
  constructor(
    readonly workspaceInside: string,
    private readonly scratch: string,
  ) {}

  exec(request: ExecRequest, io: ExecIO): Execution {
    const [file, ...args] = request.argv;
    if (!file) throw new Error('empty command');
    return spawnLines(file, args, {
      env: { TMPDIR: this.scratch, ...request.env },
      cwd: this.workspaceInside,
      onLine: io.onLine,
      signal: io.signal,
    });
  }

  async leftovers(): Promise<string[]> {
    return [];
  }

  async runningAfterExit(): Promise<string[]> {
    return [];
  }

  async dispose(): Promise<void> {
    await rm(this.scratch, { recursive: true, force: true }).catch(() => {});
  }
}
