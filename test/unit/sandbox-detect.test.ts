import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxRuntime } from '../../src/runtimes/sandbox.js';
import { MIN_SBX_VERSION } from '../../src/runtimes/sandbox-sbx.js';
import { useStandIns, type StandIns } from '../stand-ins/env.js';

// A readable, writable stand-in for /dev/kvm, so these tests do not depend on the machine's.
const kvmDevice = join(mkdtempSync(join(tmpdir(), 'kvm-')), 'kvm');
writeFileSync(kvmDevice, '');

let standIns: StandIns | undefined;
afterEach(async () => {
  await standIns?.restore();
  standIns = undefined;
});

/** Detection against the `sbx` stand-in in the given modes (it needs no Podman: nothing is created). */
async function detectSbx(mode: string, options: ConstructorParameters<typeof SandboxRuntime>[0] = {}) {
  standIns = useStandIns(['sbx'], { SBX_STANDIN_MODE: mode });
  return new SandboxRuntime({ timeoutMs: 5000, platform: 'linux', kvmDevice, ...options }).detect();
}

describe('sandbox detection through sbx', () => {
  it('reports version, daemon, policy and secret when everything is in place', async () => {
    const detection = await detectSbx('');
    expect(detection).toMatchObject({ mode: 'sandbox', available: true, runtime: 'sbx', version: '0.45.1', reason: null });
    expect(detection.details).toEqual(
      expect.arrayContaining(['daemon running', 'policy balanced', 'Anthropic secret stored']),
    );
  });

  it('closes stdin on every call and passes --no-input once the CLI offers it', async () => {
    await detectSbx('');
    const calls = standIns!.calls();
    expect(calls.every((call) => call.stdin === 'closed')).toBe(true);
    const ls = calls.find((call) => call.argv.includes('ls'));
    expect(ls?.argv).toEqual(['--no-input', 'ls', '--json']);
  });

  it('does without --no-input on a CLI that does not know it', async () => {
    await detectSbx('old-version');
    expect(standIns!.calls().some((call) => call.argv.includes('--no-input'))).toBe(false);
  });

  it('says when the user is not signed in', async () => {
    const detection = await detectSbx('not-signed-in');
    expect(detection.available).toBe(false);
    expect(detection.reason).toBe('not signed in to Docker');
    expect(detection.fix).toMatch(/sbx login/);
  });

  it('says when no network policy was initialised, because create would prompt', async () => {
    const detection = await detectSbx('no-policy');
    expect(detection.available).toBe(false);
    expect(detection.reason).toMatch(/no network policy initialised/);
    expect(detection.fix).toMatch(/sbx policy init balanced/);
  });

  it('stays available without an Anthropic secret, saying how to store one', async () => {
    const detection = await detectSbx('no-secret');
    expect(detection.available).toBe(true);
    expect(detection.details.join(' ')).toMatch(/no Anthropic secret stored.*sbx secret set anthropic/);
  });

  it('reports a version older than the minimum with the upgrade hint, from the two-line `version`', async () => {
    const detection = await detectSbx('old-version');
    expect(detection).toMatchObject({ available: false, version: '0.25.0' });
    expect(detection.reason).toBe(`sbx 0.25.0 is too old (cc-iso needs ${MIN_SBX_VERSION} or newer)`);
    expect(detection.fix).toMatch(/upgrade/);
  });

  it('falls back to the one-line `version` when there is no --json', async () => {
    const detection = await detectSbx('no-version-json');
    expect(detection).toMatchObject({ available: true, version: '0.40.0' });
  });

  it('reports a daemon that cannot start', async () => {
    const detection = await detectSbx('daemon-unavailable');
    expect(detection.available).toBe(false);
    expect(detection.reason).toMatch(/daemon is not running.*failed to start properly/);
  });

  it('reads the JSON after the lines of a daemon started on demand', async () => {
    const detection = await detectSbx('daemon-lines');
    expect(detection.available).toBe(true);
    expect(detection.details).toContain('daemon started on demand');
  });

  it('reads the bare-array `ls --json` of older releases', async () => {
    expect((await detectSbx('ls-legacy-array')).available).toBe(true);
  });

  it('reports a missing /dev/kvm on Linux', async () => {
    const detection = await detectSbx('', { kvmDevice: '/nonexistent/kvm' });
    expect(detection.available).toBe(false);
    expect(detection.reason).toBe('no KVM: /nonexistent/kvm is missing or not accessible');
  });

  it('gives up on a hanging sbx within its timeout', async () => {
    const started = performance.now();
    const detection = await detectSbx('hang', { timeoutMs: 1000 });
    expect(detection.available).toBe(false);
    expect(detection.reason).toBe('sbx did not answer within 1.00 s');
    expect(performance.now() - started).toBeLessThan(4000);
  });
});

describe('sandbox detection without sbx', () => {
  it('falls back to the legacy docker sandbox plugin', async () => {
    standIns = useStandIns(['docker']);
    const detection = await new SandboxRuntime({ timeoutMs: 5000 }).detect();
    expect(detection).toMatchObject({ available: true, runtime: 'docker sandbox', version: '0.7.1' });
    expect(detection.details.join(' ')).toMatch(/deprecated.*ANTHROPIC_API_KEY in the shell config/);
  });

  it('reports neither installed, with the platform install hint', async () => {
    standIns = useStandIns(['docker'], { DOCKER_SANDBOX_STANDIN_MODE: 'plugin-missing' });
    const linux = await new SandboxRuntime({ timeoutMs: 5000, platform: 'linux' }).detect();
    expect(linux).toMatchObject({ available: false, reason: 'neither `sbx` nor the `docker sandbox` plugin is installed' });
    expect(linux.fix).toMatch(/apt install docker-sbx/);
    standIns.set('PATH', mkdtempSync(join(tmpdir(), 'empty-path-')));
    const mac = await new SandboxRuntime({ timeoutMs: 5000, platform: 'darwin' }).detect();
    expect(mac.fix).toMatch(/brew install docker\/tap\/sbx/);
  });

  it('gives up on a hanging plugin within its timeout', async () => {
    standIns = useStandIns(['docker'], { DOCKER_SANDBOX_STANDIN_MODE: 'hang' });
    const detection = await new SandboxRuntime({ timeoutMs: 1000 }).detect();
    expect(detection.reason).toBe('docker sandbox did not answer within 1.00 s');
  });
});
