import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLAUDE_VERSION } from '../../src/config/options.js';
import { ensureImage, planImage } from '../../src/runtimes/image.js';
import { ownerToken, thisProcess } from '../../src/runtimes/ownership.js';
import { BASE_IMAGE, engineAvailable } from '../helpers/engines.js';
import { outputOf, runSession, sessionOptions } from '../helpers/session.js';
import { startMockAnthropic, type MockAnthropic } from '../mock-anthropic/server.js';
import { standInContainers, useStandIns, type StandIns } from '../stand-ins/env.js';

// Only the `docker` stand-in is on PATH (no `sbx`): detection falls back to the legacy plugin.
// The stand-in runs each sandbox as a rootful Podman container: Podman is what these need.
const available = await engineAvailable('podman', 'sandbox (legacy plugin)', 'Podman for the docker sandbox stand-in');
const claudeEnv = { CLAUDE_CODE_MAX_RETRIES: '0', DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };

let standIns: StandIns;
let mock: MockAnthropic;

beforeAll(async () => {
  if (!available) return;
  const plan = planImage({ baseImage: BASE_IMAGE, claudeVersion: DEFAULT_CLAUDE_VERSION });
  await ensureImage('podman', plan, () => {}, new AbortController().signal);
  mock = await startMockAnthropic({ host: '127.0.0.1' });
  standIns = useStandIns(['docker'], { SBX_STANDIN_IMAGE: plan.tag, SBX_STANDIN_ANTHROPIC_URL: mock.url });
});

afterAll(async () => {
  if (!available) return;
  const containers = await standInContainers(standIns.state);
  await standIns.restore();
  await mock.close();
  expect(containers).toEqual([]);
});

function pluginCalls(subcommand: string): string[][] {
  return standIns
    .calls()
    .filter((call) => call.cli === 'docker sandbox' && call.argv[0] === subcommand)
    .map((call) => call.argv);
}

describe.skipIf(!available)('the sandbox mode through the legacy docker sandbox plugin (stand-in on Podman)', () => {
  it('runs the probe and removes the sandbox', async () => {
    const { events, done } = runSession(sessionOptions({ modes: ['sandbox'] }));
    const [record] = await done;
    expect(record!.status, outputOf(events, record!.id).join('\n')).toBe('passed');
    expect(record!.findings.workspaceSync.ok).toBe(true);
    expect(record!.findings.auth.source).toBe('sandbox-proxy');
    const name = `cc-iso-${record!.id}.${ownerToken(thisProcess())}`;
    expect(pluginCalls('create')).toContainEqual(['create', '--name', name, 'claude', expect.any(String)]);
    expect(pluginCalls('rm')).toContainEqual(['rm', name]);
    expect(record!.findings.leftovers).toEqual([]);
    console.log(`docker sandbox stand-in: create ${record!.timings.prepareMs} ms, exec startup ${record!.timings.startupMs} ms, rm ${record!.timings.cleanupMs} ms`);
  });

  it('runs Claude against the mock API, reading the result line that lacks its final newline', async () => {
    standIns.set('DOCKER_SANDBOX_STANDIN_MODE', 'no-final-newline');
    try {
      const { events, done } = runSession(
        sessionOptions({ modes: ['sandbox'], workload: 'claude', prompt: 'say hi', forwardedEnv: claudeEnv }),
      );
      const [record] = await done;
      expect(record!.status, outputOf(events, record!.id).join('\n')).toBe('passed');
      expect(record!.findings.headless).toBe(true);
    } finally {
      standIns.set('DOCKER_SANDBOX_STANDIN_MODE', undefined);
    }
  });

  it('points at the shell config Docker Desktop read when Claude is not logged in', async () => {
    standIns.set('DOCKER_SANDBOX_STANDIN_MODE', 'no-api-key');
    try {
      const { events, done } = runSession(
        sessionOptions({ modes: ['sandbox'], workload: 'claude', prompt: 'say hi', forwardedEnv: claudeEnv }),
      );
      const [record] = await done;
      expect(record!.status).toBe('failed');
      const hint = outputOf(events, record!.id).find((line) => line.startsWith('cc-iso: the legacy `docker sandbox` plugin'));
      expect(hint).toMatch(/ANTHROPIC_API_KEY.*restart Docker Desktop/);
    } finally {
      standIns.set('DOCKER_SANDBOX_STANDIN_MODE', undefined);
    }
  });

  it('cancels mid-run through `docker sandbox stop` and removes the sandbox', async () => {
    const { done } = runSession(
      sessionOptions({ modes: ['sandbox'], workload: 'command', command: ['sh', '-c', 'echo started; sleep 60'] }),
      (event, session) => {
        if (event.type === 'output' && event.text === 'started') session.stop(event.runId);
      },
    );
    const [record] = await done;
    expect(record!.status).toBe('cancelled');
    expect(pluginCalls('stop')).toContainEqual(['stop', `cc-iso-${record!.id}.${ownerToken(thisProcess())}`]);
    expect(record!.timings.totalMs!).toBeLessThan(30_000);
    expect(await standInContainers(standIns.state)).toEqual([]);
  });
});
