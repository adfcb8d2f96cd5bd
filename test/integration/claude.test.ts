import { chown, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModeId } from '../../src/domain/modes.js';
import type { ResultsFile } from '../../src/domain/results.js';
import { CLI_401_RESULT_TEXT, MOCK_WRITE_CONTENT, startMockAnthropic } from '../mock-anthropic/server.js';
import { mockClaudeEnv, runCli, signalWhenSeen } from '../helpers/cli.js';
import { engineAvailable, labelledContainers } from '../helpers/engines.js';

const TOKEN = 'sk-ant-api03-cc-iso-test-secret-value-0123456789';
const modes: ModeId[] = ['host', 'docker', 'podman'];
const available = Object.fromEntries(await Promise.all(modes.map(async (m) => [m, await engineAvailable(m)]))) as Record<
  ModeId,
  boolean
>;
const testable = modes.filter((mode) => available[mode]);
const containerModes = (['docker', 'podman'] as const).filter((engine) => available[engine]);

let mock: Awaited<ReturnType<typeof startMockAnthropic>>;
beforeAll(async () => {
  mock = await startMockAnthropic({ host: '127.0.0.1' });
});
afterAll(async () => {
  await mock.close();
  for (const engine of ['docker', 'podman'] as const) {
    if (available[engine]) expect(await labelledContainers(engine)).toEqual([]);
  }
});

/** Runs the built CLI like a user would, with the credential only in its environment. */
function ccIso(args: string[], scenario: string, extraEnv: Record<string, string> = {}) {
  return runCli(['run', ...args], {
    ANTHROPIC_API_KEY: TOKEN,
    ...mockClaudeEnv(mock.url, scenario),
    ...extraEnv,
  });
}

/** A workspace owned by uid 1000, as on a developer laptop, so the container's user can write it. */
async function laptopWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-iso-claude-ws-'));
  if (process.getuid?.() === 0) await chown(dir, 1000, 1000);
  return dir;
}

describe('the claude workload end to end (real Claude Code, local Messages API)', () => {
  it.skipIf(testable.length === 0)('answers a text prompt in every mode with the claude block filled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-iso-json-'));
    const out = join(dir, 'r.json');
    const report = join(dir, 'RESULTS.md');
    const result = await ccIso(['--mode', testable.join(','), '--prompt', 'say hi', '--json', out, '--markdown', report], 'text');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const file = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    expect(file.runs.map((run) => run.mode)).toEqual(testable);
    for (const run of file.runs) {
      expect(run.status).toBe('passed');
      expect(run.findings.headless).toBe(true);
      expect(run.findings.auth).toEqual({ source: 'env:ANTHROPIC_API_KEY', ok: true });
      expect(run.claude).toMatchObject({ numTurns: 1, isError: false });
      expect(run.claudeVersion).toBe('2.1.332');
      expect(run.timings.startupMs).toBeGreaterThan(0);
      // Claude is ready (system/init) before its first answer, which waits for the API.
      expect(run.timings.firstOutputMs!).toBeGreaterThan(run.timings.startupMs!);
      expect(run.timings.exitLagMs).toBeGreaterThanOrEqual(0);
      // Mode A passes the token in by design; the probe sees the same fingerprint.
      expect(run.findings.credentialExposed).toBe(true);
    }
    expect(result.stdout).toContain('✓ result: hi from the mock');
    expect(result.stdout).not.toMatch(/"type":"system"/);
    const markdown = await readFile(report, 'utf8');
    expect(markdown).toContain('Claude Code: ');
    for (const text of [result.stdout, result.stderr, JSON.stringify(file), markdown]) expect(text).not.toContain(TOKEN);
  });

  it.skipIf(testable.length === 0)('writes a file with the Write tool that appears in the workspace on the host', async () => {
    for (const mode of testable) {
      const workspace = await laptopWorkspace();
      const result = await ccIso(['--mode', mode, '--workspace', workspace, '--prompt', 'Create notes.txt'], 'write');
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(await readFile(join(workspace, 'notes.txt'), 'utf8')).toBe(MOCK_WRITE_CONTENT);
      const owner = (await stat(join(workspace, 'notes.txt'))).uid;
      expect(owner).toBe(mode === 'host' ? process.getuid?.() : 1000);
      expect(result.stdout).toMatch(/→ Write notes\.txt/);
      expect(await readdir(workspace)).not.toContain(expect.stringMatching(/^\.cc-iso-probe/));
    }
  });

  it.skipIf(testable.length === 0)('passes a prompt with quotes, newlines, $() and non-ASCII unchanged', async () => {
    const prompt = `Say "hi" & 'bye'\n$(touch /tmp/cc-iso-pwned) \`uname\` $HOME ; | > x — ünïcødé ✓ 🚀`;
    const before = mock.requests.length;
    const result = await ccIso(['--mode', testable.join(','), '--prompt', prompt], 'text');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const prompts = mock.requests.slice(before).filter((r) => r.endpoint === '/v1/messages');
    expect(prompts).toHaveLength(testable.length);
    for (const request of prompts) expect(request.promptTexts).toContain(prompt);
  });

  it.skipIf(testable.length === 0)('fails quickly with Claude\'s own message on a 401', async () => {
    const before = mock.requests.length;
    const result = await ccIso(['--mode', testable.join(','), '--prompt', 'hi'], '401');
    expect(result.exitCode).toBe(1);
    // Quickly: one request per mode, no retries with back-off.
    expect(mock.requests.slice(before).filter((r) => r.endpoint === '/v1/messages')).toHaveLength(testable.length);
    expect(result.stdout).toContain(CLI_401_RESULT_TEXT);
    expect(result.stdout).toMatch(/failed/);
  });

  it.skipIf(testable.length === 0)('fails with a readable error when the API is unreachable', async () => {
    const result = await ccIso(['--mode', testable.join(','), '--prompt', 'hi'], 'text', {
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/Connection refused|ECONNREFUSED|Unable to connect/);
  });

  it.each(containerModes)('never puts the token on a command line while a %s container runs', async (engine) => {
    const child = ccIso(['--mode', engine, '--prompt', 'take your time'], 'slow');
    const seen: string[] = [];
    let sawContainer = false;
    let running = true;
    void child.finally(() => (running = false));
    const watcher = (async () => {
      while (running) {
        for (const pid of await readdir('/proc').catch(() => [] as string[])) {
          if (!/^\d+$/.test(pid)) continue;
          const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
          if (cmdline.includes('cc-iso-')) sawContainer = true;
          if (cmdline.includes(TOKEN)) seen.push(cmdline.replaceAll('\0', ' '));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    setTimeout(() => child.kill('SIGINT'), 8000);
    const result = await child;
    await watcher;
    expect(sawContainer).toBe(true);
    expect(seen).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it.each(containerModes)('cancels a run mid-stream in %s and removes its container', async (engine) => {
    const child = ccIso(['--mode', engine, '--prompt', 'take your time'], 'slow');
    signalWhenSeen(child, '● init');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stdout).toMatch(new RegExp(`${engine}\\s+#1\\s+cancelled`));
    expect(await labelledContainers(engine)).toEqual([]);
  });
});

describe('credentials before a run', () => {
  it('stops before any container starts when the stored token has expired', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cc-iso-home-'));
    await mkdir(join(home, '.claude'));
    const expired = { claudeAiOauth: { accessToken: 'sk-ant-oat01-expired-token-value', expiresAt: Date.now() - 60_000 } };
    await writeFile(join(home, '.claude', '.credentials.json'), JSON.stringify(expired), { mode: 0o600 });
    const result = await runCli(
      ['run', '--mode', 'host', '--prompt', 'hi'],
      { HOME: home, ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: '' },
      { cwd: home },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/expired/);
    expect(result.stderr).toMatch(/claude setup-token/);
    expect(result.stderr + result.stdout).not.toContain('expired-token-value');
  });
});
