import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLAUDE_VERSION } from '../../src/config/options.js';
import { fingerprint, newFingerprintKey } from '../../src/credentials/fingerprint.js';
import type { RunRecord } from '../../src/domain/results.js';
import { ensureImage, planImage } from '../../src/runtimes/image.js';
import type { SessionOptions } from '../../src/engine/session.js';
import { belongsToLiveSession } from '../../src/engine/live-sessions.js';
import { newSessionId, ownerToken, sandboxName as nameFor, thisProcess } from '../../src/runtimes/ownership.js';
import { SandboxRuntime } from '../../src/runtimes/sandbox.js';
import { BASE_IMAGE, engineAvailable } from '../helpers/engines.js';
import { outputOf, runSession, sessionOptions } from '../helpers/session.js';
import { startMockAnthropic, type MockAnthropic } from '../mock-anthropic/server.js';
import { standInContainers, useStandIns, type StandIns } from '../stand-ins/env.js';

// The `sbx` stand-in runs each sandbox as a rootful Podman container: Podman is what these need.
const available = await engineAvailable('podman', 'sandbox (sbx)', 'Podman for the sbx stand-in');
const FAKE_TOKEN = 'sk-ant-api03-cc-iso-test-not-a-real-key';
const fingerprintKey = newFingerprintKey();
const credential = { env: { ANTHROPIC_API_KEY: FAKE_TOKEN }, source: 'env:ANTHROPIC_API_KEY' as const, fingerprints: [fingerprint(FAKE_TOKEN, fingerprintKey)] };
const claudeEnv = { CLAUDE_CODE_MAX_RETRIES: '0', DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };

let standIns: StandIns;
let mock: MockAnthropic;

beforeAll(async () => {
  if (!available) return;
  const plan = planImage({ baseImage: BASE_IMAGE, claudeVersion: DEFAULT_CLAUDE_VERSION });
  await ensureImage('podman', plan, () => {}, new AbortController().signal);
  // --network host inside the stand-in: the mock on the host's loopback is reachable.
  mock = await startMockAnthropic({ host: '127.0.0.1' });
  standIns = useStandIns(['sbx'], { SBX_STANDIN_IMAGE: plan.tag, SBX_STANDIN_ANTHROPIC_URL: mock.url });
});

afterAll(async () => {
  if (!available) return;
  const containers = await standInContainers(standIns.state);
  await standIns.restore();
  await mock.close();
  expect(containers).toEqual([]);
});

/**
 * Real sbx needs KVM on Linux, and detection checks for it before anything starts; the stand-in
 * needs none, and CI machines may have no /dev/kvm. The sandbox runtime is told the stand-in
 * machine's "KVM device" is /dev/null (there, and readable and writable, as /dev/kvm would be).
 */
const runSandbox = (options: SessionOptions, onEvent?: Parameters<typeof runSession>[1]) =>
  runSession(options, onEvent, { sandbox: new SandboxRuntime({ kvmDevice: '/dev/null' }) });

/** The run's sandbox: its run id and, since a sandbox has no labels, the process that owns it. */
const sandboxName = (record: RunRecord) => `cc-iso-${record.id}.${ownerToken(thisProcess())}`;

/** The argument lists the stand-in received for one subcommand, global flags removed. */
function callsOf(subcommand: string): string[][] {
  return standIns
    .calls()
    .map((call) => call.argv.filter((arg) => arg !== '--no-input'))
    .filter((argv) => argv[0] === subcommand);
}

async function sandboxesListed(): Promise<string[]> {
  const result = await execa('sbx', ['ls', '-q'], { stdin: 'ignore' });
  return String(result.stdout).split('\n').filter(Boolean);
}

describe.skipIf(!available)('the sandbox mode through sbx (stand-in on Podman)', () => {
  it('runs the probe: workspace sync, kernel, no token inside, auth by the sandbox proxy', async () => {
    const { events, done } = runSandbox(sessionOptions({ modes: ['sandbox'], credential, fingerprintKey }));
    const [record] = await done;
    expect(record!.status, outputOf(events, record!.id).join('\n')).toBe('passed');
    const name = sandboxName(record!);
    expect(record!.findings.workspaceSync.ok).toBe(true);
    expect(record!.findings.kernel.inside).toMatch(/^\d+\.\d+/);
    // Inside: the proxy's placeholder, whose fingerprint is not the token's.
    expect(record!.evidence['credential ANTHROPIC_API_KEY']).toContain(fingerprint('proxy-managed', fingerprintKey));
    expect(record!.findings.credentialExposed).toBe(false);
    expect(record!.findings.auth.source).toBe('sandbox-proxy');
    // A sandbox outlives its command: still there after the probe exited, gone after cleanup.
    expect(record!.evidence['still-running-after-exit']).toBe(name);
    expect(record!.findings.leftovers).toEqual([]);
    expect(await sandboxesListed()).toEqual([]);

    const { prepareMs, startupMs, resultMs, cleanupMs } = record!.timings;
    console.log(`sbx stand-in: create ${prepareMs} ms, exec startup ${startupMs} ms, probe ${resultMs} ms, rm ${cleanupMs} ms`);
    for (const value of [prepareMs, startupMs, resultMs, cleanupMs]) expect(value).toBeGreaterThanOrEqual(0);

    expect(callsOf('create')).toContainEqual(['create', '--name', name, 'claude', expect.stringContaining(`cc-iso-${record!.id}-`)]);
    const exec = callsOf('exec')[0]!;
    // `exec [-e NAME]… -w DIR NAME …`: variables by name only, then the folder and the sandbox.
    const at = exec.indexOf('-w');
    expect(at).toBeGreaterThan(0);
    expect(exec[at + 2]).toBe(name);
    expect(exec.slice(1, at).every((arg, i) => (i % 2 === 0 ? arg === '-e' : /^[A-Z_]+$/.test(arg)))).toBe(true);
    expect(exec).not.toContain('-t');
    expect(exec).not.toContain('-i');
    expect(callsOf('rm')).toContainEqual(['rm', '--force', name]);
    expect(standIns.calls().every((call) => call.stdin === 'closed')).toBe(true);
  });

  it('tells a sandbox that stops with its command from one that keeps running', async () => {
    standIns.set('SBX_STANDIN_MODE', 'stops-after-exec');
    try {
      const { events, done } = runSandbox(sessionOptions({ modes: ['sandbox'], credential, fingerprintKey }));
      const [record] = await done;
      expect(record!.status, outputOf(events, record!.id).join('\n')).toBe('passed');
      expect(record!.evidence['still-running-after-exit']).toBeUndefined();
      expect(record!.findings.leftovers).toEqual([]);
      expect(await sandboxesListed()).toEqual([]);
    } finally {
      standIns.set('SBX_STANDIN_MODE', '');
    }
  });

  it('runs Claude against the mock API with the proxy placeholder as its key', async () => {
    const before = mock.requests.length;
    const { events, done } = runSandbox(
      sessionOptions({ modes: ['sandbox'], workload: 'claude', prompt: 'say hi', credential, fingerprintKey, forwardedEnv: claudeEnv }),
    );
    const [record] = await done;
    expect(record!.status, outputOf(events, record!.id).join('\n')).toBe('passed');
    expect(record!.claude?.isError).toBe(false);
    expect(record!.claudeVersion).toBe(DEFAULT_CLAUDE_VERSION);
    expect(record!.findings.auth).toEqual({ source: 'sandbox-proxy', ok: true });
    expect(record!.findings.credentialExposed).toBe(false);
    const messages = mock.requests.slice(before).filter((request) => request.endpoint === '/v1/messages');
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((request) => request.auth.kind === 'x-api-key' && request.auth.length === 'proxy-managed'.length)).toBe(true);
    // Variables travel as `-e NAME`: their values never enter an argument list.
    const claudeExec = callsOf('exec').find((argv) => argv.includes('claude'))!;
    expect(claudeExec).toEqual(expect.arrayContaining(['-e', 'CLAUDE_CODE_MAX_RETRIES']));
    expect(claudeExec.some((arg) => arg.startsWith('CLAUDE_CODE_MAX_RETRIES='))).toBe(false);
    console.log(`sbx stand-in claude: create ${record!.timings.prepareMs} ms, startup ${record!.timings.startupMs} ms, rm ${record!.timings.cleanupMs} ms`);
  });

  it('says where the credential comes from when Claude is not logged in', async () => {
    standIns.set('SBX_STANDIN_MODE', 'no-secret');
    try {
      const { events, done } = runSandbox(
        sessionOptions({ modes: ['sandbox'], workload: 'claude', prompt: 'say hi', forwardedEnv: claudeEnv }),
      );
      const [record] = await done;
      expect(record!.status).toBe('failed');
      expect(record!.error).toMatch(/Not logged in/);
      expect(outputOf(events, record!.id)).toContain(
        'cc-iso: the sandbox proxy had no Anthropic credential: store one with `sbx secret set anthropic` (or run /login once in a sandbox)',
      );
    } finally {
      standIns.set('SBX_STANDIN_MODE', '');
    }
  });

  it('cancels mid-run: stops the sandbox (killing the client is not enough), then removes it', async () => {
    const { done, events } = runSandbox(
      sessionOptions({ modes: ['sandbox'], workload: 'command', command: ['sh', '-c', 'echo started; sleep 60'] }),
      (event, session) => {
        if (event.type === 'output' && event.text === 'started') session.stop(event.runId);
      },
    );
    const [record] = await done;
    expect(record!.status).toBe('cancelled');
    expect(outputOf(events, record!.id)).toContain('started');
    expect(callsOf('stop')).toContainEqual(['stop', sandboxName(record!)]);
    expect(await sandboxesListed()).toEqual([]);
    expect(await standInContainers(standIns.state)).toEqual([]);
    expect(record!.timings.totalMs!).toBeLessThan(30_000);
  });

  it('cancels while the sandbox is being created, and removes the half-made sandbox', async () => {
    standIns.set('SBX_STANDIN_CREATE_DELAY_MS', '60000');
    try {
      const { done } = runSandbox(sessionOptions({ modes: ['sandbox'], workload: 'command', command: ['true'] }), (event, session) => {
        if (event.type === 'output' && event.text === 'Starting microVM...') session.stop(event.runId);
      });
      const [record] = await done;
      expect(record!.status).toBe('cancelled');
      expect(callsOf('rm')).toContainEqual(['rm', '--force', sandboxName(record!)]);
      expect(await sandboxesListed()).toEqual([]);
      expect(await standInContainers(standIns.state)).toEqual([]);
    } finally {
      standIns.set('SBX_STANDIN_CREATE_DELAY_MS', undefined);
    }
  });

  it('stops and removes a command that hangs past the timeout', async () => {
    const { done, events } = runSandbox(
      sessionOptions({ modes: ['sandbox'], workload: 'command', command: ['sh', '-c', 'echo started; sleep 120'], timeoutMs: 10_000 }),
    );
    const [record] = await done;
    expect(record!.status).toBe('timeout');
    expect(outputOf(events, record!.id)).toContain('started');
    expect(callsOf('stop')).toContainEqual(['stop', sandboxName(record!)]);
    expect(await sandboxesListed()).toEqual([]);
    expect(await standInContainers(standIns.state)).toEqual([]);
  });

  it('cleans the sandboxes a crashed session left; a user\'s own and a live session\'s stay', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'cc-iso-clean-'));
    // Same pid, another start: a process that reused this pid is not the owner.
    const crashed = `cc-iso-${newSessionId()}-sandbox-1.${ownerToken({ ...thisProcess(), start: 'zzzzzz' })}`;
    const live = nameFor(`${newSessionId()}-sandbox-1`);
    const kept = ['someone-elses', 'cc-iso-my-own-notes', live];
    try {
      for (const name of [crashed, ...kept]) {
        await execa('sbx', ['create', '-q', '--name', name, 'claude', workspace], { stdin: 'ignore' });
      }
      expect(await new SandboxRuntime().clean(belongsToLiveSession)).toEqual([crashed]);
      expect((await sandboxesListed()).sort()).toEqual([...kept].sort());
    } finally {
      for (const name of kept) await execa('sbx', ['rm', '--force', name], { stdin: 'ignore', reject: false });
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
