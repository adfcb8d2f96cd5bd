import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/credentials/fingerprint.js';
import { computeFindings } from '../../src/engine/findings.js';
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

  it('tells a host blocked by a proxy\'s policy from one that had no route, keeping the answer as evidence', () => {
    const policy = emptyProbeReport();
    const line = 'cc-iso-probe blocked-host blocked https://example.com/ by-policy: the proxy answered 403 host is not on the allow list to CONNECT (blocked-by-allowlist)';
    applyProbeLine(policy, line);
    expect(policy).toMatchObject({ blockedHost: 'blocked', blockedBy: 'policy' });
    expect(policy.evidence['blocked-host']).toBe(line);
    const noRoute = emptyProbeReport();
    applyProbeLine(noRoute, 'cc-iso-probe blocked-host blocked https://example.com/ no-route: curl exit 6');
    expect(noRoute).toMatchObject({ blockedHost: 'blocked', blockedBy: 'no-route' });
    const reachable = emptyProbeReport();
    applyProbeLine(reachable, 'cc-iso-probe blocked-host reachable https://example.com/ HTTP 200');
    expect(reachable).toMatchObject({ blockedHost: 'reachable', blockedBy: null });
    const findings = computeFindings({
      probe: policy, marker: null, secretFingerprints: [], exitLagMs: null, resultSeen: false, leftovers: [], claude: null, authSource: null,
    });
    expect(findings.network).toEqual({ registry: null, blockedHost: 'blocked', blockedBy: 'policy' });
  });

  it('marks ready, first output and result, and shows readable lines', () => {
    const interpreter = new ProbeInterpreter();
    expect(interpreter.take('stdout', 'cc-iso-probe ready 7', 10)).toEqual({
      lines: ['probe: ready 7'],
      moments: [{ kind: 'first-output', at: 10 }, { kind: 'ready', at: 10 }],
    });
    expect(interpreter.take('stdout', 'cc-iso-probe marker ok .m', 20).moments).toEqual([{ kind: 'workspace-write', at: 20, ok: true }]);
    expect(interpreter.take('stdout', 'cc-iso-probe done ', 30).moments).toEqual([{ kind: 'result', at: 30 }]);
    expect(interpreter.finish({ exitCode: 0, signal: null }).failure).toBeNull();
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
    // Port 9 on loopback refuses: nothing answered, no proxy said no.
    expect(report).toMatchObject({ blockedHost: 'blocked', blockedBy: 'no-route' });
  });
});

const busybox = (await execa('busybox', ['--list'], { reject: false })).exitCode === 0;
if (!busybox && process.env.CI === 'true') throw new Error('busybox is needed in CI (scripts/setup-engines.sh installs it)');
if (!busybox) console.warn('skipping the busybox probe test: busybox is not installed');

/** A folder of busybox applets, less the ones named, for PATH. */
async function busyboxBin(without: string[] = []): Promise<{ root: string; bin: string }> {
  const root = await mkdtemp(join(tmpdir(), 'cc-iso-busybox-'));
  const bin = join(root, 'bin');
  await mkdir(bin);
  const applets = String((await execa('busybox', ['--list'])).stdout).split('\n').filter((applet) => applet && !without.includes(applet));
  const busyboxPath = String((await execa('sh', ['-c', 'command -v busybox'])).stdout).trim();
  await Promise.all(applets.map((applet) => symlink(busyboxPath, join(bin, applet))));
  return { root, bin };
}

async function probeIn(root: string, bin: string, env: Record<string, string>) {
  const [, , script, ...rest] = probeArgv({ markerName: '.marker', blockedUrl: 'http://127.0.0.1:9/', registryUrl: 'http://127.0.0.1:9/' });
  const result = await execa(join(bin, 'sh'), ['-c', script!, ...rest], {
    cwd: root,
    env: { PATH: bin, HOME: root, ...env },
    extendEnv: false,
    reject: false,
  });
  expect(result.exitCode, String(result.stderr)).toBe(0);
  const report = emptyProbeReport();
  for (const line of String(result.stdout).split('\n')) applyProbeLine(report, line);
  return report;
}

describe('the probe script under busybox (as in Alpine)', () => {
  it.skipIf(!busybox)('runs with nothing but busybox applets and fingerprints like the host', async () => {
    const { root, bin } = await busyboxBin();
    const report = await probeIn(root, bin, { ANTHROPIC_API_KEY: 'sk-ant-api03-busybox' });
    expect(report).toMatchObject({ done: true, marker: { ok: true }, registry: 'fail', blockedHost: 'blocked' });
    expect(report.credentials).toEqual([{ name: 'ANTHROPIC_API_KEY', fingerprint: fingerprint('sk-ant-api03-busybox') }]);
  });

  // macOS has `shasum` and no `sha256sum`: host mode there must fingerprint alike.
  it.skipIf(!busybox || !existsSync('/usr/bin/shasum'))('fingerprints with shasum where sha256sum is missing', async () => {
    const { root, bin } = await busyboxBin(['sha256sum']);
    await symlink('/usr/bin/shasum', join(bin, 'shasum'));
    const report = await probeIn(root, bin, { ANTHROPIC_API_KEY: 'sk-ant-api03-busybox' });
    expect(report.credentials).toEqual([{ name: 'ANTHROPIC_API_KEY', fingerprint: fingerprint('sk-ant-api03-busybox') }]);
  });

  it.skipIf(!busybox)('says a value is unhashed where no SHA-256 tool exists, so exposure is unknown, not "no"', async () => {
    const { root, bin } = await busyboxBin(['sha256sum', 'sha1sum', 'sha512sum', 'sha3sum', 'md5sum', 'openssl']);
    const report = await probeIn(root, bin, { ANTHROPIC_API_KEY: 'sk-ant-api03-busybox' });
    expect(report.credentials).toEqual([{ name: 'ANTHROPIC_API_KEY', fingerprint: 'unhashed' }]);
    const findings = computeFindings({
      probe: report, marker: null, secretFingerprints: [fingerprint('sk-ant-api03-busybox')],
      exitLagMs: null, resultSeen: false, leftovers: [], claude: null, authSource: 'env:ANTHROPIC_API_KEY',
    });
    expect(findings.credentialExposed).toBeNull();
  });
});
