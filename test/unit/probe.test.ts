import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { fingerprint, newFingerprintKey } from '../../src/credentials/fingerprint.js';
import { computeFindings } from '../../src/engine/findings.js';
import { applyProbeLine, emptyProbeReport, probeArgv, ProbeInterpreter } from '../../src/workloads/probe.js';
import { findProgram, programAvailable } from '../helpers/engines.js';
import { runSession, sessionOptions } from '../helpers/session.js';

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
    const key = newFingerprintKey();
    const result = await execa(file!, args, {
      cwd: workspace,
      env: { ANTHROPIC_API_KEY: secret, PATH: '/usr/bin:/bin', CC_ISO_FINGERPRINT_KEY: key },
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
    expect(report.credentials[0]!.fingerprint).toBe(fingerprint(secret, key));
    expect(String(result.stdout) + String(result.stderr)).not.toContain(secret);
    expect(String(result.stdout) + String(result.stderr)).not.toContain(key);
    // Port 9 on loopback refuses: nothing answered, no proxy said no.
    expect(report).toMatchObject({ blockedHost: 'blocked', blockedBy: 'no-route' });
  });
});

const busybox = programAvailable('busybox', 'busybox probe', 'scripts/setup-engines.sh installs it');
// macOS has `shasum` (Perl's) and no `sha256sum`: the probe's fallback is tested with the real one.
const shasum = findProgram('shasum');
const withShasum = busybox && programAvailable('shasum', 'shasum probe', 'Debian: package perl');

/** A folder of busybox applets, less the ones named, for PATH. */
async function busyboxBin(without: string[] = []): Promise<{ root: string; bin: string }> {
  const root = await mkdtemp(join(tmpdir(), 'cc-iso-busybox-'));
  const bin = join(root, 'bin');
  await mkdir(bin);
  const applets = String((await execa('busybox', ['--list'])).stdout).split('\n').filter((applet) => applet && !without.includes(applet));
  const busyboxPath = findProgram('busybox')!;
  await Promise.all(applets.map((applet) => symlink(busyboxPath, join(bin, applet))));
  return { root, bin };
}

const KEY = newFingerprintKey();

async function probeIn(root: string, bin: string, env: Record<string, string>) {
  const [, , script, ...rest] = probeArgv({ markerName: '.marker', blockedUrl: 'http://127.0.0.1:9/', registryUrl: 'http://127.0.0.1:9/' });
  const result = await execa(join(bin, 'sh'), ['-c', script!, ...rest], {
    cwd: root,
    env: { PATH: bin, HOME: root, CC_ISO_FINGERPRINT_KEY: KEY, ...env },
    extendEnv: false,
    reject: false,
  });
  expect(result.exitCode, String(result.stderr)).toBe(0);
  const report = emptyProbeReport();
  for (const line of String(result.stdout).split('\n')) applyProbeLine(report, line);
  return report;
}

describe('the registry the probe tries', () => {
  const probeWithNpmrc = async (npmrcRegistry: string, registryUrl = '') => {
    const home = await mkdtemp(join(tmpdir(), 'cc-iso-npmrc-'));
    // A mirror, as behind a corporate proxy; nothing listens there, so the install fails fast.
    await writeFile(join(home, '.npmrc'), `registry=${npmrcRegistry}\n`);
    const [file, ...args] = probeArgv({ markerName: '.marker', blockedUrl: 'http://127.0.0.1:9/', registryUrl });
    const result = await execa(file!, args, { cwd: home, env: { HOME: home, PATH: process.env.PATH }, extendEnv: false, reject: false });
    const report = emptyProbeReport();
    for (const line of String(result.stdout).split('\n')) applyProbeLine(report, line);
    return { report, output: String(result.stdout) + String(result.stderr) };
  };

  it('is the one npm is configured with, named in the evidence', async () => {
    const { report } = await probeWithNpmrc('http://127.0.0.1:9/mirror/');
    expect(report.npmInstall).toBe('fail');
    expect(report.evidence['npm-install']).toBe('cc-iso-probe npm-install fail from http://127.0.0.1:9/mirror/');
  });

  it('uses a mirror whose URL holds a password without showing it (npm will not say it either)', async () => {
    const { report, output } = await probeWithNpmrc('http://builder:hunter2@127.0.0.1:9/mirror/');
    expect(report.evidence['npm-install']).toBe("cc-iso-probe npm-install fail from npm's configured registry");
    expect(output).not.toContain('hunter2');
  });

  it('is --registry-url when given, without any password in the evidence', async () => {
    const { report, output } = await probeWithNpmrc('http://127.0.0.1:9/mirror/', 'http://ci:s3cret@127.0.0.1:9/explicit/');
    expect(report.evidence['npm-install']).toBe('cc-iso-probe npm-install fail from http://127.0.0.1:9/explicit/');
    expect(output).not.toContain('s3cret');
  });
});

describe('the probe script under busybox (as in Alpine)', () => {
  it.skipIf(!busybox)('runs with nothing but busybox applets and fingerprints like the host', async () => {
    const { root, bin } = await busyboxBin();
    const report = await probeIn(root, bin, { ANTHROPIC_API_KEY: 'sk-ant-api03-busybox' });
    expect(report).toMatchObject({ done: true, marker: { ok: true }, registry: 'fail', blockedHost: 'blocked' });
    expect(report.credentials).toEqual([{ name: 'ANTHROPIC_API_KEY', fingerprint: fingerprint('sk-ant-api03-busybox', KEY) }]);
  });

  // macOS has `shasum` and no `sha256sum`: host mode there must fingerprint alike.
  it.skipIf(!withShasum)('fingerprints with shasum where sha256sum is missing', async () => {
    const { root, bin } = await busyboxBin(['sha256sum']);
    await symlink(shasum!, join(bin, 'shasum'));
    const report = await probeIn(root, bin, { ANTHROPIC_API_KEY: 'sk-ant-api03-busybox' });
    expect(report.credentials).toEqual([{ name: 'ANTHROPIC_API_KEY', fingerprint: fingerprint('sk-ant-api03-busybox', KEY) }]);
  });

  it.skipIf(!busybox || !existsSync('/usr/bin/openssl'))('fingerprints with openssl where neither sha256sum nor shasum exists', async () => {
    const { root, bin } = await busyboxBin(['sha256sum']);
    await symlink('/usr/bin/openssl', join(bin, 'openssl'));
    const report = await probeIn(root, bin, { ANTHROPIC_API_KEY: 'sk-ant-api03-busybox' });
    expect(report.credentials).toEqual([{ name: 'ANTHROPIC_API_KEY', fingerprint: fingerprint('sk-ant-api03-busybox', KEY) }]);
  });

  it.skipIf(!busybox)('gives a 3-character secret a fingerprint no table of plain SHA-256 prefixes finds', async () => {
    const { root, bin } = await busyboxBin();
    const secret = 'q7z';
    const report = await probeIn(root, bin, { ANTHROPIC_API_KEY: secret });
    const shown = report.credentials[0]!.fingerprint;
    expect(shown).toBe(fingerprint(secret, KEY));
    // What someone holding only the results would try: every short value's unkeyed SHA-256 prefix.
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const table = new Map<string, string>();
    for (const a of alphabet) for (const b of alphabet) for (const c of alphabet) {
      table.set(createHash('sha256').update(a + b + c).digest('hex').slice(0, 12), a + b + c);
    }
    expect(table.get(createHash('sha256').update(secret).digest('hex').slice(0, 12))).toBe(secret);
    expect(table.has(shown)).toBe(false);
  });

  it.skipIf(!busybox)('says unhashed, never an unkeyed hash, when the key is missing', async () => {
    const { root, bin } = await busyboxBin();
    const report = await probeIn(root, bin, { ANTHROPIC_API_KEY: 'sk-ant-api03-busybox', CC_ISO_FINGERPRINT_KEY: '' });
    expect(report.credentials).toEqual([{ name: 'ANTHROPIC_API_KEY', fingerprint: 'unhashed' }]);
  });

  it.skipIf(!busybox)('says a value is unhashed where no SHA-256 tool exists, so exposure is unknown, not "no"', async () => {
    const { root, bin } = await busyboxBin(['sha256sum', 'sha1sum', 'sha512sum', 'sha3sum', 'md5sum', 'openssl']);
    const report = await probeIn(root, bin, { ANTHROPIC_API_KEY: 'sk-ant-api03-busybox' });
    expect(report.credentials).toEqual([{ name: 'ANTHROPIC_API_KEY', fingerprint: 'unhashed' }]);
    const findings = computeFindings({
      probe: report, marker: null, secretFingerprints: [fingerprint('sk-ant-api03-busybox', KEY)],
      exitLagMs: null, resultSeen: false, leftovers: [], claude: null, authSource: 'env:ANTHROPIC_API_KEY',
    });
    expect(findings.credentialExposed).toBeNull();
  });
});

describe('the fingerprint key in a session (host mode, the real probe)', () => {
  it('tells the token is inside from a keyed fingerprint, and writes the key nowhere', async () => {
    const secret = 'q7z';
    const options = sessionOptions({
      modes: ['host'],
      blockedUrl: 'http://127.0.0.1:9/',
      registryUrl: 'http://127.0.0.1:9/',
      credential: { env: { ANTHROPIC_API_KEY: secret }, source: 'env:ANTHROPIC_API_KEY', fingerprints: [] },
    });
    options.credential!.fingerprints = [fingerprint(secret, options.fingerprintKey)];
    const { events, done } = runSession(options);
    const [record] = await done;
    expect(record!.findings.credentialExposed).toBe(true);
    const written = JSON.stringify(record) + JSON.stringify(events);
    expect(written).not.toContain(options.fingerprintKey);
    expect(written).not.toContain(createHash('sha256').update(secret).digest('hex').slice(0, 12));
  });
});
