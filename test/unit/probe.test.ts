import { execa } from 'execa';
import { mkdir, mkdtemp, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/credentials/fingerprint.js';
import { applyProbeLine, emptyProbeReport, probeArgv, ProbeInterpreter } from '../../src/workloads/probe.js';

describe('probe lines', () => {
  it('parses every reported fact and keeps the line as evidence', () => {
    const report = emptyProbeReport();
    const lines = [
      'cc-iso-probe ready 1',
      'cc-iso-probe kernel 6.1.0-18-amd64',
      'cc-iso-probe uid 1000',
      'cc-iso-probe marker ok .cc-iso-probe-x',
      'cc-iso-probe credential ANTHROPIC_API_KEY 0123456789ab',
      'cc-iso-probe credentials-checked ',
      'cc-iso-probe npm-install ok is-number@7.0.0',
      'cc-iso-probe blocked-host blocked https://example.com/',
      'cc-iso-probe done ',
    ];
    for (const line of lines) expect(applyProbeLine(report, line)).toBe(true);
    expect(applyProbeLine(report, 'npm warn something')).toBe(false);
    expect(report).toMatchObject({
      kernel: '6.1.0-18-amd64',
      uid: '1000',
      marker: { ok: true },
      credentials: [{ name: 'ANTHROPIC_API_KEY', fingerprint: '0123456789ab' }],
      npmInstall: 'ok',
      blockedHost: 'blocked',
      done: true,
    });
    expect(report.evidence.kernel).toBe('cc-iso-probe kernel 6.1.0-18-amd64');
  });

  it('marks ready, first output and result, and shows readable lines', () => {
    const interpreter = new ProbeInterpreter();
    expect(interpreter.take('stdout', 'cc-iso-probe ready 7', 10)).toEqual(['probe: ready 7']);
    interpreter.take('stdout', 'cc-iso-probe done ', 30);
    expect(interpreter.marks).toEqual({ ready: 10, firstOutput: 10, result: 30 });
  });
});

describe('the probe script on this host', () => {
  it('runs under sh, writes its marker and never prints a credential value', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'cc-iso-probe-test-'));
    const secret = 'sk-ant-api03-do-not-print-me';
    const [file, ...args] = probeArgv({
      markerName: '.marker',
      blockedUrl: 'http://127.0.0.1:9/',
      registryUrl: 'http://127.0.0.1:9/',
    });
    const result = await execa(file!, args, {
      cwd: workspace,
      env: { ANTHROPIC_API_KEY: secret, PATH: '/usr/bin:/bin' },
      extendEnv: false,
      reject: false,
    });
    expect(result.exitCode).toBe(0);
    const report = emptyProbeReport();
    for (const line of String(result.stdout).split('\n')) applyProbeLine(report, line);
    expect(report.done).toBe(true);
    expect(report.marker?.ok).toBe(true);
    expect(await readdir(workspace)).toContain('.marker');
    expect(report.credentials.map((c) => c.name)).toEqual(['ANTHROPIC_API_KEY']);
    expect(report.credentials[0]!.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(String(result.stdout) + String(result.stderr)).not.toContain(secret);
    expect(report.blockedHost).toBe('blocked');
  });
});

const busybox = (await execa('busybox', ['--list'], { reject: false })).exitCode === 0;
if (!busybox && process.env.CI === 'true') throw new Error('busybox is needed in CI (scripts/setup-engines.sh installs it)');
if (!busybox) console.warn('skipping the busybox probe test: busybox is not installed');

describe('the probe script under busybox (as in Alpine)', () => {
  it.skipIf(!busybox)('runs with nothing but busybox applets and fingerprints like the host', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cc-iso-busybox-'));
    const bin = join(root, 'bin');
    await mkdir(bin);
    const applets = String((await execa('busybox', ['--list'])).stdout).split('\n').filter(Boolean);
    const busyboxPath = String((await execa('sh', ['-c', 'command -v busybox'])).stdout).trim();
    await Promise.all(applets.map((applet) => symlink(busyboxPath, join(bin, applet))));
    const [, , script, ...rest] = probeArgv({ markerName: '.marker', blockedUrl: 'http://127.0.0.1:9/', registryUrl: 'http://127.0.0.1:9/' });
    const result = await execa(join(bin, 'sh'), ['-c', script!, ...rest], {
      cwd: root,
      env: { PATH: bin, HOME: root, ANTHROPIC_API_KEY: 'sk-ant-api03-busybox' },
      extendEnv: false,
      reject: false,
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const report = emptyProbeReport();
    for (const line of String(result.stdout).split('\n')) applyProbeLine(report, line);
    expect(report).toMatchObject({ done: true, marker: { ok: true }, registry: 'fail', blockedHost: 'blocked' });
    expect(report.credentials).toEqual([{ name: 'ANTHROPIC_API_KEY', fingerprint: fingerprint('sk-ant-api03-busybox') }]);
  });
});
