import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLAUDE_VERSION } from '../../src/config/options.js';
import { registryDir } from '../../src/engine/live-sessions.js';
import { planImage } from '../../src/runtimes/image.js';
import { newSessionId, ownerToken, thisProcess } from '../../src/runtimes/ownership.js';
import { MODE_IDS } from '../../src/domain/modes.js';
import { runCli, signalWhenSeen } from '../helpers/cli.js';
import { BASE_IMAGE, engineAvailable, labelledContainers } from '../helpers/engines.js';

const dockerAvailable = await engineAvailable('docker');
const podmanAvailable = await engineAvailable('podman');

describe('the command line', () => {
  it('prints help and version', async () => {
    const help = await runCli(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/cc-iso run \[options\]/);
    expect(help.stdout).toMatch(/--base-image <value>.*\n\s+CC_ISO_BASE_IMAGE/);
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // `run` and `detect` start from bundles of their own: the same help there.
    for (const command of ['run', 'detect', 'token']) {
      const asked = await runCli([command, '--help']);
      expect(asked.exitCode).toBe(0);
      expect(asked.stdout).toBe(help.stdout);
    }
  });

  it('exits 2 with a clear message on bad usage', async () => {
    const unknownMode = await runCli(['run', '--mode', 'docker,lxc']);
    expect(unknownMode.exitCode).toBe(2);
    expect(unknownMode.stderr).toMatch(/unknown mode "lxc"; choose from host, docker, podman, sandbox, gvisor, srt/);
    const missing = await runCli(['run', '--workload', 'probe', '--workspace', '/no/such/folder']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/the workspace \/no\/such\/folder does not exist/);
    const unknownFlag = await runCli(['run', '--frobnicate']);
    expect(unknownFlag.exitCode).toBe(2);
    const unknownCommand = await runCli(['launch']);
    expect(unknownCommand.exitCode).toBe(2);
    const detectFlag = await runCli(['detect', '--all']);
    expect(detectFlag.exitCode).toBe(2);
    expect(detectFlag.stderr).toMatch(/cc-iso detect takes only --json and --local\nRun `cc-iso --help` for the options/);
  });

  it('says the interactive app needs a terminal when there is none', async () => {
    const result = await runCli(['--mode', 'host'], {}, { stdin: 'pipe' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/needs a terminal.*cc-iso run/);
  });

  it('refuses an export to stdout in the interactive app, whose screen is stdout', async () => {
    const result = await runCli(['--mode', 'host', '--json', '-']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/needs a file for --json \/ --markdown \/ --svg; `-` \(stdout\) works with `cc-iso run`/);
  });

  it('reads options from CC_ISO_ variables', async () => {
    const result = await runCli(['run', '--mode', 'host', '--json', '-'], {
      CC_ISO_WORKLOAD: 'command',
      CC_ISO_RUNS: '2',
    }).catch((error: unknown) => error as never);
    // The command workload needs its command after --: the variable was read.
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--workload command needs the command after `--`/);
  });

  it('run --json - prints only the results file on stdout, live output on stderr', async () => {
    const result = await runCli(['run', '--mode', 'host', '--workload', 'command', '--json', '-', '--', 'echo', 'hello from the run']);
    expect(result.exitCode, result.stderr).toBe(0);
    const file = JSON.parse(result.stdout) as { schemaVersion: number; runs: { mode: string; status: string }[] };
    expect(file.schemaVersion).toBe(1);
    expect(file.runs.map((run) => [run.mode, run.status])).toEqual([['host', 'passed']]);
    expect(result.stderr).toMatch(/host.* hello from the run/);
  });

  it('detect --json lists every mode, and reports each engine as the engine itself does', async () => {
    const result = await runCli(['detect', '--json']);
    expect(result.exitCode).toBe(0);
    const detections = (JSON.parse(result.stdout) as { modes: { mode: string; available: boolean; version: string | null; reason: string | null }[] }).modes;
    expect(detections.map((d) => d.mode)).toEqual([...MODE_IDS]);
    for (const detection of detections.filter((d) => !d.available)) {
      expect(detection.reason).toBeTruthy();
    }
    const reported = (mode: string) => {
      const { available, version } = detections.find((d) => d.mode === mode)!;
      return { available, version };
    };
    // Asked directly, not through cc-iso's detection: the kernel, and each engine's server.
    expect(reported('host')).toEqual({ available: true, version: await said('uname', ['-r']) });
    for (const engine of ['docker', 'podman'] as const) {
      const version = await said(engine, ['version', '--format', '{{.Server.Version}}']);
      expect(reported(engine), `${engine} version says ${version ?? 'nothing'}`).toEqual(
        version ? { available: true, version } : { available: false, version: null },
      );
    }
  });

  it('detect --local asks no target: the same modes, no targets (the remote test engines are configured here in CI)', async () => {
    const everything = JSON.parse((await runCli(['detect', '--json'])).stdout) as { modes: { mode: string }[]; targets: unknown[] };
    const local = await runCli(['detect', '--json', '--local']);
    expect(local.exitCode).toBe(0);
    const only = JSON.parse(local.stdout) as { modes: { mode: string }[]; targets: unknown[] };
    expect(only.modes.map((d) => d.mode)).toEqual(everything.modes.map((d) => d.mode));
    expect(only.targets).toEqual([]);
    const text = await runCli(['detect', '--local']);
    expect(text.stdout).not.toMatch(/targets/);
    expect(text.stdout.split('\n').filter(Boolean)).toHaveLength(MODE_IDS.length);
  });
});

/** What a command prints (trimmed), or null when it fails or prints nothing. */
async function said(file: string, args: string[]): Promise<string | null> {
  const result = await execa(file, args, { reject: false, stdin: 'ignore', timeout: 15_000 });
  const text = String(result.stdout).trim();
  return result.exitCode === 0 && text !== '' ? text : null;
}

describe('cc-iso clean', () => {
  const engines = (['docker', 'podman'] as const).filter((engine) => (engine === 'docker' ? dockerAvailable : podmanAvailable));

  it.skipIf(engines.length === 0)('removes what a crashed session left, and never a user\'s own container or a shell of the image', async () => {
    const { tag } = planImage({ baseImage: BASE_IMAGE, claudeVersion: DEFAULT_CLAUDE_VERSION });
    // The process that made it is gone: same pid as this one, another start.
    const deadOwner = ownerToken({ ...thisProcess(), start: 'zzzzzz' });
    const kept = (engine: string) => ['cc-iso-my-own-notes', `debug-shell-${engine}`];
    try {
      for (const engine of engines) {
        const run = `${newSessionId()}-${engine}-1`;
        const detached = ['run', '-d', '--init'];
        await execa(engine, [...detached, '--name', `cc-iso-${run}-command`, '--label', 'cc-iso=1', '--label', `cc-iso.run=${run}`, '--label', `cc-iso.owner=${deadOwner}`, BASE_IMAGE, 'sleep', '300']);
        // Named like cc-iso's, labelled like cc-iso's image once was, but no run label: a user's.
        await execa(engine, [...detached, '--name', 'cc-iso-my-own-notes', '--label', 'cc-iso=1', BASE_IMAGE, 'sleep', '300']);
        // A debug shell of cc-iso's own image.
        await execa(engine, [...detached, '--name', `debug-shell-${engine}`, tag, 'sleep', '300']);
      }
      const result = await runCli(['clean']);
      expect(result.exitCode, result.stderr).toBe(0);
      for (const engine of engines) {
        expect(result.stdout).toMatch(new RegExp(`^removed ${engine} cc-iso-[0-9a-f]{16}-${engine}-1-command$`, 'm'));
        expect(await containerNames(engine)).toEqual(expect.arrayContaining(kept(engine)));
        expect(await labelledContainers(engine, 'cc-iso.run')).toEqual([]);
      }
      expect(result.stdout).not.toMatch(/my-own-notes|debug-shell/);
    } finally {
      for (const engine of engines) await execa(engine, ['rm', '--force', ...kept(engine)], { reject: false });
    }
  });

  // Ownership is on the container: a clean in another environment (another TMPDIR, so another
  // registry folder) still sees that the session's process is alive.
  it.skipIf(!dockerAvailable)('keeps the containers of a session running under another TMPDIR, and removes them once it crashed', async () => {
    const sessionTemp = await mkdtemp(join(tmpdir(), 'cc-iso-session-tmp-'));
    const cleanTemp = await mkdtemp(join(tmpdir(), 'cc-iso-clean-tmp-'));
    const session = runCli(['run', '--mode', 'docker', '--workload', 'command', '--', 'sleep', '120'], { TMPDIR: sessionTemp, XDG_RUNTIME_DIR: '' });
    const started = await waitFor(async () => (await labelledContainers('docker')).length > 0);
    expect(started, 'the run never started its container').toBe(true);

    const whileRunning = await runCli(['clean'], { TMPDIR: cleanTemp, XDG_RUNTIME_DIR: '' });
    expect(whileRunning.exitCode).toBe(0);
    expect(whileRunning.stdout).toMatch(/^kept docker cc-iso-[0-9a-f]{16}-docker-1-command: its session is still running$/m);
    expect(whileRunning.stdout).toContain('nothing to clean');
    expect(await labelledContainers('docker')).toHaveLength(1);

    // A crash: cc-iso dies at once, its container (started in its own process group) lives on.
    session.kill('SIGKILL');
    await session;
    expect(await labelledContainers('docker')).toHaveLength(1);
    const afterCrash = await runCli(['clean'], { TMPDIR: sessionTemp, XDG_RUNTIME_DIR: '' });
    const sessionId = /^removed docker cc-iso-([0-9a-f]{16})-docker-1-command$/m.exec(afterCrash.stdout)?.[1];
    expect(sessionId, afterCrash.stdout).toBeDefined();
    expect(await labelledContainers('docker')).toEqual([]);
    // The killed session's registration is forgotten too.
    expect(existsSync(join(registryDir({}, sessionTemp)!, sessionId!))).toBe(false);
  });
});

describe('signals', () => {
  /**
   * Files left under a folder: folders themselves (an empty registry) and Node's own compile
   * cache (cc-iso enables it for a quicker start) do not count.
   */
  async function filesUnder(root: string): Promise<string[]> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => !entry.isDirectory() && !entry.parentPath.includes('node-compile-cache'))
      .map((entry) => join(entry.parentPath, entry.name));
  }

  async function stoppedBy(signal: NodeJS.Signals, mode: 'host' | 'docker') {
    const scratch = await mkdtemp(join(tmpdir(), 'cc-iso-signal-'));
    const child = runCli(['run', '--mode', mode, '--workload', 'command', '--', 'sh', '-c', 'echo started; sleep 120'], {
      TMPDIR: scratch,
      XDG_RUNTIME_DIR: '',
    });
    signalWhenSeen(child, 'started', signal);
    const result = await child;
    return { result, left: await filesUnder(scratch), scratch };
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s stops the run, cleans up and exits %i, as shells expect', async (signal, code) => {
    const { result, left } = await stoppedBy(signal, 'host');
    expect(result.exitCode, result.stderr).toBe(code);
    expect(result.stdout).toMatch(/host\s+#1\s+cancelled/);
    expect(left).toEqual([]);
  });

  it.skipIf(!dockerAvailable)('a closed terminal (SIGHUP) stops the run like SIGTERM: no container, workspace or registration left', async () => {
    const { result, left } = await stoppedBy('SIGHUP', 'docker');
    expect(result.exitCode, result.stderr).toBe(129);
    expect(await labelledContainers('docker')).toEqual([]);
    expect(left).toEqual([]);
  });
});

async function containerNames(engine: 'docker' | 'podman'): Promise<string[]> {
  const result = await execa(engine, ['ps', '--all', '--format', '{{.Names}}'], { reject: false });
  return String(result.stdout).split('\n').filter(Boolean);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
