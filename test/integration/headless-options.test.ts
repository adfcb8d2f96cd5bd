import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../src/domain/results.js';
import { CLI, runCli } from '../helpers/cli.js';
import { engineAvailable } from '../helpers/engines.js';

/** One line that says what is wrong and what to do, then the pointer to --help; exit 2. */
function expectUsageError(result: { exitCode?: number; stderr: unknown }, message: RegExp) {
  expect(result.exitCode, String(result.stderr)).toBe(2);
  const [first, ...rest] = String(result.stderr).trim().split('\n');
  expect(first).toMatch(message);
  expect(rest).toEqual(['Run `cc-iso --help` for the options.']);
}

describe('cc-iso run depends on its flags and CC_ISO_* variables alone', () => {
  it('ignores the choices the interactive app remembered', async () => {
    const config = await mkdtemp(join(tmpdir(), 'cc-iso-config-'));
    // What the app saves after someone chose the probe, three runs and a prompt there.
    await writeFile(
      join(config, 'config.json'),
      JSON.stringify({ choices: { workload: 'command', runs: '3', warmup: '1', prompt: 'remembered', mode: 'docker' } }),
    );
    const result = await runCli(['run', '--mode', 'host', '--workload', 'probe', '--json', '-'], { CC_ISO_CONFIG_DIR: config });
    expect(result.exitCode, result.stderr).toBe(0);
    const file = JSON.parse(result.stdout) as ResultsFile;
    expect(file.runs.map((run) => [run.mode, run.workload, run.warmup])).toEqual([['host', 'probe', false]]);
  });

  it('refuses a flag the chosen workload does not use', async () => {
    const result = await runCli(['run', '--mode', 'host', '--workload', 'probe', '--prompt', 'write hello']);
    expectUsageError(result, /^cc-iso: --prompt is not used by the probe workload \(only by claude\); drop it$/);
  });
});

describe('bounds and clear errors, before anything starts', () => {
  it('--timeout -1, above a timer, and --runs in the millions', async () => {
    expectUsageError(
      await runCli(['run', '--mode', 'host', '--workload', 'probe', '--timeout', '-1']),
      /^cc-iso: --timeout must be a whole number from 0 to 2147483 seconds .*, got "-1"$/,
    );
    expectUsageError(
      await runCli(['run', '--mode', 'host', '--workload', 'probe', '--timeout', '99999999']),
      /^cc-iso: --timeout must be a whole number from 0 to 2147483 seconds/,
    );
    expectUsageError(
      await runCli(['run', '--mode', 'host', '--workload', 'probe', '--runs', '5000000']),
      /^cc-iso: --runs must be a whole number from 1 to 10000; for more, run several sessions, got "5000000"$/,
    );
  });

  it('a workspace the user cannot enter is refused at planning, not with "spawn pwd EACCES" per run', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'cc-iso-locked-'));
    const locked = join(parent, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o000);
    await chmod(parent, 0o755);
    // root may enter any folder: run as nobody then, as a user on a shared machine would.
    const asRoot = process.getuid?.() === 0;
    const result = await execa('node', [CLI, 'run', '--mode', 'host', '--workload', 'probe', '--workspace', locked], {
      reject: false,
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      env: { HOME: parent, CC_ISO_CONFIG_DIR: parent },
    });
    expectUsageError(
      result,
      new RegExp(`^cc-iso: you \\(uid \\d+\\) cannot read, write and enter the workspace ${locked} \\(EACCES\\): choose a folder of yours, or give yourself access \\(chmod u\\+rwx\\)$`),
    );
  });
});

const dockerAvailable = await engineAvailable('docker');
const podmanAvailable = await engineAvailable('podman');

describe('a workspace path with a colon', () => {
  for (const [mode, available] of [['docker', dockerAvailable], ['podman', podmanAvailable]] as const) {
    it.skipIf(!available)(`is mounted by ${mode} (--mount, not --volume, which splits at the colon)`, async () => {
      const workspace = join(await mkdtemp(join(tmpdir(), 'cc-iso-colon-')), 'a:b');
      await mkdir(workspace);
      const result = await runCli(['run', '--mode', mode, '--workload', 'probe', '--workspace', workspace, '--json', '-']);
      expect(result.exitCode, result.stderr).toBe(0);
      const [run] = (JSON.parse(result.stdout) as ResultsFile).runs;
      expect(run!.findings.workspaceSync.ok).toBe(true);
    });
  }

  it('with a comma is refused for container modes, with what to do', async () => {
    const workspace = join(await mkdtemp(join(tmpdir(), 'cc-iso-comma-')), 'a,b');
    await mkdir(workspace);
    expectUsageError(
      await runCli(['run', '--mode', 'docker', '--workload', 'probe', '--workspace', workspace]),
      /^cc-iso: docker cannot mount a path with a comma \(.*a,b\): use a folder whose path has none$/,
    );
  });
});
