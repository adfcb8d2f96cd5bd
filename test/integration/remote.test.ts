import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/domain/results.js';
import { CLI, runCli } from '../helpers/cli.js';
import { MOCK_WRITE_CONTENT, startMockAnthropic } from '../mock-anthropic/server.js';

/**
 * Remote targets against the real second engines of scripts/setup-remote-engines.sh: a dockerd
 * (TLS and ssh) and a Podman service in a network namespace, each with an empty private /tmp,
 * so the workspace cc-iso makes under /tmp must be shipped there and back.
 */
const TLS = 'cc-iso-remote-tls';
const SSH = 'cc-iso-remote-ssh';
/** The host side of the namespace's veth pair: the one address of this machine the targets reach. */
const HOST_SIDE = '10.213.0.1';
const PODMAN = 'cc-iso-remote-podman';
const SETUP = new URL('../../scripts/setup-remote-engines.sh', import.meta.url).pathname;
const DOCKERD_PID = '/run/cc-iso-remote/docker.pid';
/** A lock of this test's own, held while the setup script restarts a daemon. */
const LOCK = join(tmpdir(), `cc-iso-remote-test-${process.pid}.lock`);

async function infrastructure(): Promise<boolean> {
  const docker = await execa('docker', ['--context', TLS, 'version'], { reject: false, timeout: 20_000 });
  const podman = await execa('podman', ['--connection', PODMAN, 'version'], { reject: false, timeout: 20_000 });
  if (docker.exitCode === 0 && podman.exitCode === 0) return true;
  const reason = `the remote test engines do not answer (run scripts/setup-remote-engines.sh as root): ${String(docker.stderr || podman.stderr).trim().split('\n').at(-1)}`;
  if (process.env.CI === 'true') throw new Error(`remote target tests must run in CI, but ${reason}`);
  console.warn(`skipping remote target tests: ${reason}`);
  return false;
}

const ready = await infrastructure();

/** cc-iso's containers and volumes on a target. */
async function leftOn(args: string[]): Promise<string[]> {
  const engine = args[0] === '--context' ? 'docker' : 'podman';
  const containers = await execa(engine, [...args, 'ps', '--all', '--filter', 'label=cc-iso', '--format', '{{.Names}}'], { reject: false });
  const volumes = await execa(engine, [...args, 'volume', 'ls', '--filter', 'label=cc-iso', '--format', '{{.Name}}'], { reject: false });
  return [...String(containers.stdout).split('\n'), ...String(volumes.stdout).split('\n')].filter(Boolean);
}

describe.skipIf(!ready)('remote targets', () => {
  it('detect lists each context and connection with engine, kernel and round trip', async () => {
    const result = await runCli(['detect', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const { targets } = JSON.parse(result.stdout) as { targets: Array<{ engine: string; target: string; reachable: boolean; transport: string; kernel: string | null; rttMs: number | null }> };
    const tls = targets.find((t) => t.engine === 'docker' && t.target === TLS)!;
    expect(tls).toMatchObject({ reachable: true, transport: 'tls' });
    expect(tls.kernel).toBeTruthy();
    // The round trip is what reaching the engine adds to a call: next to nothing over the veth pair
    // with TLS, an ssh connection per call over ssh.
    expect(tls.rttMs).toBeGreaterThanOrEqual(0);
    const podman = targets.find((t) => t.engine === 'podman' && t.target === PODMAN)!;
    expect(podman).toMatchObject({ reachable: true, transport: 'ssh' });
    expect(podman.rttMs).toBeGreaterThan(tls.rttMs!);
  }, 120_000);

  it('runs a local mode and two remote engines side by side, ships the workspace both ways, and leaves nothing', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'cc-iso-remote-')), 'results.json');
    const result = await runCli(['run', '--mode', `host,docker@${TLS},podman@${PODMAN}`, '--workload', 'probe', '--runs', '2', '--json', out]);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const file = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
    const remote = file.runs.filter((run) => run.target);
    expect(remote.map((run) => `${run.mode}@${run.target} ${run.status}`).sort()).toEqual([
      `docker@${TLS} passed`, `docker@${TLS} passed`, `podman@${PODMAN} passed`, `podman@${PODMAN} passed`,
    ]);
    for (const run of remote) {
      // The probe's file was written inside the remote volume and arrived back on this machine.
      expect(run.findings.workspaceSync.ok, run.id).toBe(true);
      expect(run.timings.uploadMs).toBeGreaterThan(0);
      expect(run.timings.downloadMs).toBeGreaterThan(0);
      expect(run.transfer?.uploadBytes).toBeGreaterThan(0);
      expect(run.rttMs).toBeGreaterThanOrEqual(0);
      if (run.mode === 'podman') expect(run.rttMs).toBeGreaterThan(0);
      expect(run.timings.startupNetMs).toBeLessThanOrEqual(run.timings.startupMs!);
      expect(run.findings.leftovers).toEqual([]);
    }
    // Statistics and the recommendation per target.
    expect(file.summary.map((s) => `${s.mode}@${s.target ?? 'here'}`)).toEqual(['host@here', `docker@${TLS}`, `podman@${PODMAN}`]);
    expect(file.recommendation).toMatch(new RegExp(`On ${TLS}: Use docker`));
    expect(file.recommendation).toMatch(new RegExp(`On ${PODMAN}: Use podman`));
    expect(result.stdout).toMatch(new RegExp(`docker@${TLS}\\s+#1\\s+passed`));
    expect(await leftOn(['--context', TLS])).toEqual([]);
    expect(await leftOn(['--connection', PODMAN])).toEqual([]);
  }, 300_000);

  it('runs gvisor on a target whose Docker has runsc registered, and judges its kernel against the target\'s', async () => {
    // Unreachable at once (the host side, a closed port): the probe's network checks do not wait.
    const closed = `http://${HOST_SIDE}:9/`;
    const result = await runCli(['run', '--mode', `gvisor@${TLS}`, '--workload', 'probe', '--registry-url', closed, '--blocked-url', closed, '--json', '-']);
    const file = JSON.parse(result.stdout) as ResultsFile;
    const [run] = file.runs;
    expect(run, result.stderr).toMatchObject({ mode: 'gvisor', target: TLS, status: 'passed' });
    expect(run!.runtime).toMatch(/on cc-iso-remote-tls \+ gVisor runsc/);
    // gVisor's user-space kernel reports a version of its own, not the target machine's.
    expect(run!.findings.kernel.isolated).toBe(true);
    expect(run!.findings.workspaceSync.ok).toBe(true);
    expect(Object.values(run!.evidence).join(' ')).toMatch(/gVisor: /);
    expect(await leftOn(['--context', TLS])).toEqual([]);
  }, 180_000);

  it('Claude on a remote engine over ssh writes a file that arrives back in the workspace here', async () => {
    const mock = await startMockAnthropic({ host: HOST_SIDE });
    try {
      const workspace = await mkdtemp(join(tmpdir(), 'cc-iso-remote-ws-'));
      const result = await runCli(['run', '--mode', `docker@${SSH}`, '--workload', 'claude', '--workspace', workspace, '--json', '-'], {
        ANTHROPIC_API_KEY: 'sk-ant-test-remote-0000', ANTHROPIC_BASE_URL: `${mock.url}/s/write`,
        CLAUDE_CODE_MAX_RETRIES: '0', DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      });
      const file = JSON.parse(result.stdout) as ResultsFile;
      const [run] = file.runs;
      expect(run, result.stderr).toMatchObject({ status: 'passed', target: SSH });
      expect(run!.findings.headless).toBe(true);
      expect(await readFile(join(workspace, 'notes.txt'), 'utf8')).toBe(MOCK_WRITE_CONTENT);
      expect(run!.evidence['credential-path']).toMatch(/travels to cc-iso-remote-ssh inside the engine's create request over ssh/);
      expect(result.stdout + result.stderr).not.toContain('sk-ant-test-remote-0000');
    } finally {
      await mock.close();
    }
    expect(await leftOn(['--context', SSH])).toEqual([]);
  }, 240_000);

  it('refuses a loopback ANTHROPIC_BASE_URL on a remote engine with the fix, at once', async () => {
    const started = performance.now();
    const result = await runCli(['run', '--mode', `docker@${TLS}`, '--workload', 'claude', '--json', '-'], {
      ANTHROPIC_API_KEY: 'sk-ant-test-remote-0000', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/',
    });
    const file = JSON.parse(result.stdout) as ResultsFile;
    expect(file.runs[0]).toMatchObject({ status: 'error', target: TLS });
    expect(file.runs[0]!.error).toMatch(/loopback.*cannot reach.*set ANTHROPIC_BASE_URL/);
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(result.stdout + result.stderr).not.toContain('sk-ant-test-remote-0000');
  }, 120_000);

  it('refuses to send the credential to a plain tcp:// engine unless --allow-plain-tcp', async () => {
    // A plain-TCP door to the namespace's dockerd, on the host side of the veth pair.
    const door = createServer((client) => {
      const daemon = connect('/run/cc-iso-remote/docker.sock');
      client.pipe(daemon).pipe(client);
      daemon.on('error', () => client.destroy());
      client.on('error', () => daemon.destroy());
    });
    await new Promise<void>((resolve) => door.listen(0, HOST_SIDE, resolve));
    const url = `tcp://${HOST_SIDE}:${(door.address() as AddressInfo).port}`;
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-remote-0000', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/', DOCKER_TLS_VERIFY: '' };
    try {
      const refused = await runCli(['run', '--mode', `docker@${url}`, '--workload', 'claude'], env);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toMatch(/plain tcp:\/\/ without TLS.*--allow-plain-tcp/s);
      const allowed = await runCli(['run', '--mode', `docker@${url}`, '--workload', 'claude', '--allow-plain-tcp', '--json', '-'], env);
      // Past the refusal: this run then stops at the loopback API URL, which the target cannot reach.
      expect(allowed.stderr).not.toMatch(/plain tcp/);
      expect((JSON.parse(allowed.stdout) as ResultsFile).runs[0]!.error).toMatch(/loopback/);
      expect(refused.stdout + refused.stderr + allowed.stdout + allowed.stderr).not.toContain('sk-ant-test-remote-0000');
    } finally {
      door.close();
    }
  }, 120_000);

  it('a target whose engine dies mid-run ends that run as error, the others go on, and clean removes the rest', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'cc-iso-remote-')), 'results.json');
    const run = execa('node', [
      CLI,
      'run', '--mode', `host,docker@${TLS}`, '--workload', 'command', '--json', out, '--', 'sleep', '20',
    ], { reject: false, env: { CC_ISO_CONFIG_DIR: await mkdtemp(join(tmpdir(), 'cc-iso-config-')) } });
    try {
      // Wait until the command runs on the target, then kill its daemon outright.
      for (let i = 0; i < 120; i++) {
        const running = await execa('docker', ['--context', TLS, 'ps', '--filter', 'label=cc-iso', '--filter', 'status=running', '--format', '{{.Names}}'], { reject: false });
        if (String(running.stdout).includes('-command')) break;
        await sleep(500);
      }
      process.kill(Number(readFileSync(DOCKERD_PID, 'utf8').trim()), 'SIGKILL');
      const result = await run;
      const file = JSON.parse(await readFile(out, 'utf8')) as ResultsFile;
      const remote = file.runs.find((r) => r.target === TLS)!;
      expect(remote.status, result.stderr).toBe('error');
      expect(remote.error).toMatch(/went away|cannot connect|connection refused|error during connect/i);
      expect(file.runs.find((r) => r.mode === 'host')!.status).toBe('passed');
    } finally {
      // Brought back the way the suite runs it: under a lock, which the new daemons must not keep.
      const restarted = await execa('flock', [LOCK, SETUP], { reject: false, timeout: 120_000 });
      expect(restarted.exitCode, restarted.stderr).toBe(0);
      expect((await execa('flock', ['--nonblock', LOCK, 'true'], { reject: false })).exitCode, 'a daemon kept the caller\'s lock').toBe(0);
    }
    // Only the target: other sessions' containers on this machine's engines are not this test's.
    const cleaned = await runCli(['clean', `docker@${TLS}`]);
    expect(cleaned.stdout).toMatch(new RegExp(`removed docker@${TLS}`));
    expect(await leftOn(['--context', TLS])).toEqual([]);
  }, 300_000);
});
