import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/domain/results.js';
import { MOCK_WRITE_CONTENT, startMockAnthropic } from '../mock-anthropic/server.js';
import { mockClaudeEnv, runCli, signalWhenSeen } from '../helpers/cli.js';
import { engineAvailable, labelledContainers } from '../helpers/engines.js';
import { runscSandboxes } from '../helpers/leftovers.js';
import { runSession, sessionOptions } from '../helpers/session.js';

const TOKEN = 'sk-ant-api03-cc-iso-gvisor-test-secret-0123456789';
const available = await engineAvailable('gvisor');

let mock: Awaited<ReturnType<typeof startMockAnthropic>>;
beforeAll(async () => {
  mock = await startMockAnthropic({ host: '127.0.0.1' });
});
afterAll(async () => {
  await mock.close();
});
// Nothing of any run may outlive it: no container, no gVisor sandbox.
afterEach(async () => {
  if (!available) return;
  expect(await labelledContainers('docker')).toEqual([]);
  expect(await runscSandboxes()).toEqual([]);
});

function ccIso(args: string[], scenario: string) {
  return runCli(['run', '--mode', 'gvisor', ...args], {
    ANTHROPIC_API_KEY: TOKEN,
    ...mockClaudeEnv(mock.url, scenario),
  });
}

describe.skipIf(!available)('the gvisor mode (the image under runsc)', () => {
  it('probes gVisor\'s own kernel and says which network gVisor had', async () => {
    const { done } = runSession(sessionOptions({ modes: ['gvisor'] }));
    const [record] = await done;
    expect(record!.status, record!.error ?? '').toBe('passed');
    expect(record!.findings.kernel.isolated).toBe(true);
    expect(record!.findings.kernel.inside).not.toBe(release());
    expect(record!.findings.kernel.inside).toBe('4.4.0');
    expect(record!.findings.workspaceSync.ok).toBe(true);
    expect(record!.evidence.network).toMatch(/^gVisor: (host network|gVisor's own network stack|no network)/);
  });

  it('runs the real Claude Code against a local API, writing in the workspace as the workspace owner', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'cc-iso-gvisor-ws-'));
    const out = join(workspace, '..', `${workspace.split('/').pop()}.json`);
    const result = await ccIso(['--workspace', workspace, '--prompt', 'Create notes.txt', '--json', out], 'write');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(await readFile(join(workspace, 'notes.txt'), 'utf8')).toBe(MOCK_WRITE_CONTENT);
    expect((await stat(join(workspace, 'notes.txt'))).uid).toBe((await stat(workspace)).uid);
    const [run] = (JSON.parse(await readFile(out, 'utf8')) as ResultsFile).runs;
    expect(run!.findings).toMatchObject({ headless: true, kernel: { inside: '4.4.0', isolated: true } });
    expect(run!.runtime).toMatch(/\+ gVisor runsc \S+$/);
    expect(result.stdout).toMatch(/→ Write notes\.txt/);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('stops a run at its timeout and removes its container and sandbox', async () => {
    let whileRunning: Promise<string[]> | undefined;
    const { done } = runSession(
      sessionOptions({ modes: ['gvisor'], workload: 'command', command: ['sh', '-c', 'echo started; sleep 60'], timeoutMs: 8000 }),
      (event) => {
        if (event.type === 'output' && event.text === 'started') whileRunning ??= runscSandboxes();
      },
    );
    const [record] = await done;
    expect(record!.status).toBe('timeout');
    expect(record!.findings.leftovers).toEqual([]);
    // The check after each test would see a sandbox: it sees this one while it runs.
    expect(await whileRunning).toHaveLength(1);
  });

  it('cancels Claude mid-stream and removes its container and sandbox', async () => {
    const child = ccIso(['--prompt', 'take your time'], 'slow');
    signalWhenSeen(child, '● init');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stdout).toMatch(/gvisor\s+#1\s+cancelled/);
  });
});
