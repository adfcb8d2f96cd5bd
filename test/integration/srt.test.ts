import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/domain/results.js';
import { MOCK_WRITE_CONTENT, startMockAnthropic } from '../mock-anthropic/server.js';
import { mockClaudeEnv, runCli, signalWhenSeen } from '../helpers/cli.js';
import { engineAvailable } from '../helpers/engines.js';
import { srtProgramsRunning, srtRunProcesses } from '../helpers/leftovers.js';
import { outputOf, runSession, sessionOptions } from '../helpers/session.js';

const TOKEN = 'sk-ant-api03-cc-iso-srt-test-secret-0123456789';
const available = await engineAvailable('srt');

let mock: Awaited<ReturnType<typeof startMockAnthropic>>;
beforeAll(async () => {
  mock = await startMockAnthropic({ host: '127.0.0.1' });
});
afterAll(async () => {
  await mock.close();
});
// Nothing of any run may outlive it: not srt and its proxy, not a socat bridge, not bubblewrap.
afterEach(async () => {
  if (!available) return;
  expect(await srtRunProcesses()).toEqual([]);
  expect(await srtProgramsRunning()).toEqual([]);
});

function ccIso(args: string[], scenario: string, extraEnv: Record<string, string> = {}) {
  return runCli(['run', '--mode', 'srt', ...args], {
    ANTHROPIC_API_KEY: TOKEN,
    ...mockClaudeEnv(mock.url, scenario),
    ...extraEnv,
  });
}

async function results(args: string[], scenario: string, extraEnv: Record<string, string> = {}) {
  const out = join(await mkdtemp(join(tmpdir(), 'cc-iso-srt-json-')), 'r.json');
  const result = await ccIso([...args, '--json', out], scenario, extraEnv);
  return { result, file: JSON.parse(await readFile(out, 'utf8')) as ResultsFile };
}

describe.skipIf(!available)('the srt mode (Anthropic\'s sandbox runtime)', () => {
  it('probes: the host kernel, the workspace writable, the registry through srt\'s proxy, the blocked host refused by policy', async () => {
    const { done } = runSession(sessionOptions({ modes: ['srt'] }));
    const [record] = await done;
    expect(record!.status, record!.error ?? '').toBe('passed');
    expect(record!.findings.kernel.isolated).toBe(false);
    expect(record!.findings.workspaceSync).toMatchObject({ ok: true, owner: expect.stringMatching(new RegExp(`^${process.getuid!()}:`)) });
    expect(record!.findings.network).toEqual({ registry: true, blockedHost: 'blocked', blockedBy: 'policy' });
    expect(record!.evidence['blocked-host']).toMatch(/by-policy: the proxy answered 403 .*blocked-by-allowlist/);
    // The policy it enforced, next to what the probe saw.
    expect(record!.evidence.network).toMatch(/^srt policy: network only to api\.anthropic\.com, registry\.npmjs\.org/);
    expect(record!.evidence.network).toMatch(/writable only \/\S+cc-iso-/);
  });

  it('allow-lists the registry --registry-url names (a mirror on the host\'s loopback), not only npm\'s default', async () => {
    // A mirror as companies run them: it fetches from the public registry; npm rewrites the
    // tarball addresses to the registry it was given, so everything goes through here.
    const mirror = createServer((request, response) => {
      fetch(`https://registry.npmjs.org${request.url ?? '/'}`).then(
        async (upstream) => {
          response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
          response.end(Buffer.from(await upstream.arrayBuffer()));
        },
        () => response.writeHead(502).end(),
      );
    });
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
    try {
      const { done } = runSession(sessionOptions({ modes: ['srt'], registryUrl: url }));
      const [record] = await done;
      expect(record!.findings.network?.registry).toBe(true);
      expect(record!.evidence.network).toContain(`network only to api.anthropic.com, ${url.slice(7, -1)}`);
    } finally {
      mirror.close();
    }
  });

  it('keeps writes to the workspace and the run\'s scratch: elsewhere is read-only', async () => {
    const outside = join(tmpdir(), `cc-iso-srt-outside-${process.pid}`);
    const { done, events } = runSession(
      sessionOptions({ modes: ['srt'], workload: 'command', command: ['sh', '-c', `touch "${outside}"; touch inside && echo wrote inside`] }),
    );
    const [record] = await done;
    const lines = outputOf(events, record!.id);
    expect(lines.join('\n')).toMatch(/Read-only file system/);
    expect(lines).toContain('wrote inside');
    expect(existsSync(outside)).toBe(false);
  });

  it('passes hostile arguments to the command unchanged (srt gets an argument list, never a shell string)', async () => {
    const pwned = join(tmpdir(), `cc-iso-srt-pwned-${process.pid}`);
    const hostile = [`it's "quoted"`, `$(touch ${pwned})`, '`uname`', '$HOME ; | & > x', 'line one\nline two', '-c', '--', '', 'ünï ✓'];
    const { done, events } = runSession(
      sessionOptions({ modes: ['srt'], workload: 'command', command: ['sh', '-c', 'for a in "$@"; do printf "<%s>\\n" "$a"; done', 'sh', ...hostile] }),
    );
    const [record] = await done;
    expect(record!.status, record!.error ?? '').toBe('passed');
    expect(outputOf(events, record!.id).join('\n')).toContain(hostile.map((a) => `<${a}>`).join('\n'));
    expect(existsSync(pwned)).toBe(false);
  });

  it('runs the real Claude Code against a loopback API allow-listed as 127.0.0.1:<port>, writing in the workspace', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'cc-iso-srt-ws-'));
    // The token travels in the environment only: never on the command line of srt, bwrap or claude.
    const onCommandLines: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const pid of await readdir('/proc').catch(() => [] as string[])) {
          const cmdline = /^\d+$/.test(pid) ? await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') : '';
          if (cmdline.includes(TOKEN)) onCommandLines.push(cmdline.replaceAll('\0', ' '));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const { result, file } = await results(['--workspace', workspace, '--prompt', 'Create notes.txt'], 'write');
    watching = false;
    await watcher;
    expect(onCommandLines).toEqual([]);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(await readFile(join(workspace, 'notes.txt'), 'utf8')).toBe(MOCK_WRITE_CONTENT);
    expect((await stat(join(workspace, 'notes.txt'))).uid).toBe(process.getuid!());
    const [run] = file.runs;
    expect(run!.runtime).toMatch(/^srt 0\.0\.\d+$/);
    expect(run!.findings).toMatchObject({ headless: true, credentialExposed: true, auth: { source: 'env:ANTHROPIC_API_KEY', ok: true } });
    expect(run!.evidence.network).toContain(`127.0.0.1:${new URL(mock.url).port}`);
    expect(run!.evidence.network).toContain('NO_PROXY emptied');
    expect(result.stdout).toMatch(/→ Write notes\.txt/);
    expect(result.stdout + result.stderr + JSON.stringify(file)).not.toContain(TOKEN);
    await rm(workspace, { recursive: true, force: true });
  });

  it('keeps the token out of the sandbox with --credential-path proxy', async () => {
    const { result, file } = await results(['--credential-path', 'proxy', '--prompt', 'say hi'], 'text');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(file.runs[0]!.findings).toMatchObject({ headless: true, credentialExposed: false, auth: { source: 'cc-iso-proxy', ok: true } });
  });

  /** The run's processes once `sleep` has started: the shell prints "started" before it forks it, so this looks again for a while. */
  async function seenWhileRunning(): Promise<[string[], string[]]> {
    for (let attempt = 0; ; attempt++) {
      const seen = await Promise.all([srtRunProcesses(), srtProgramsRunning()]);
      if (seen[0].some((p) => p.endsWith(' sleep')) || attempt === 30) return seen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('stops a run at its timeout and leaves no process behind', async () => {
    let whileRunning: Promise<[string[], string[]]> | undefined;
    const { done } = runSession(
      sessionOptions({ modes: ['srt'], workload: 'command', command: ['sh', '-c', 'echo started; sleep 60'], timeoutMs: 6000 }),
      (event) => {
        if (event.type === 'output' && event.text === 'started') whileRunning ??= seenWhileRunning();
      },
    );
    const [record] = await done;
    // The checks after each test would see them: they see srt, socat, bwrap and sleep while it runs.
    const [marked, programs] = (await whileRunning)!;
    expect(marked.some((p) => p.endsWith(' bwrap')) && marked.some((p) => p.endsWith(' sleep'))).toBe(true);
    expect(programs.some((line) => /bwrap/.test(line))).toBe(true);
    expect(record!.status).toBe('timeout');
    expect(record!.findings.leftovers).toEqual([]);
    expect(record!.timings.totalMs!).toBeLessThan(30_000);
  });

  it('`cc-iso clean` ends the processes and removes the scratch folder a crashed session left', async () => {
    const runId = 'deadbeef00-srt-1'; // a session id with no live session behind it
    const scratch = await mkdtemp(join(tmpdir(), `cc-iso-srt-${runId}-`));
    const orphan = spawn('sleep', ['120'], { env: { ...process.env, CC_ISO_SRT_RUN: runId }, detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => orphan.once('exit', resolve));
    const result = await runCli(['clean']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`removed srt cc-iso-${runId} pid ${orphan.pid} (sleep)`);
    expect(result.stdout).toContain(`removed srt ${scratch}`);
    await exited;
    expect(existsSync(scratch)).toBe(false);
  });

  it('cancels Claude mid-stream and leaves no process behind', async () => {
    const child = ccIso(['--prompt', 'take your time'], 'slow');
    signalWhenSeen(child, '● init');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stdout).toMatch(/srt\s+#1\s+cancelled/);
  });
});
