import { describe, expect, it } from 'vitest';
import type { ContainerFacts } from '../../src/runtimes/container.js';
import type { Detection } from '../../src/runtimes/types.js';
import { describeGvisor, findRunscRuntime, gvisorNetwork, type GvisorFacts } from '../../src/runtimes/gvisor.js';

const engine = (mode: 'docker' | 'podman', available: boolean, extra: Partial<Detection> = {}): Detection<ContainerFacts> => ({
  mode, available, runtime: available ? (mode === 'docker' ? 'Docker Engine' : 'Podman (rootful)') : null,
  version: available ? '20.10.24' : null, details: [], reason: available ? null : `${mode} is not installed`,
  fix: available ? null : `install ${mode}`, ...extra,
  facts: available ? { rootless: false, desktop: false, images: null, socket: null } : undefined,
});

/** This machine: Docker with runsc registered as in scripts/setup-engines.sh. */
function facts(overrides: Partial<GvisorFacts> = {}): GvisorFacts {
  return {
    platform: 'linux',
    docker: engine('docker', true),
    dockerRuntimes: { runc: { path: 'runc' }, runsc: { path: '/usr/bin/runsc', runtimeArgs: ['--network=host'] } },
    dockerRootless: false,
    podman: engine('podman', true),
    podmanRootless: false,
    runscOnPath: '/usr/bin/runsc',
    runscVersion: '0.0~20221219.0',
    ...overrides,
  };
}

describe('finding gVisor among Docker\'s runtimes', () => {
  it('takes the runtime named runsc, or one whose binary or shim is runsc under another name', () => {
    expect(findRunscRuntime({ runc: { path: 'runc' }, runsc: { path: '/usr/bin/runsc' } })?.name).toBe('runsc');
    expect(findRunscRuntime({ runc: { path: 'runc' }, gvisor: { path: '/usr/local/bin/runsc' } })?.name).toBe('gvisor');
    expect(findRunscRuntime({ sandboxed: { runtimeType: 'io.containerd.runsc.v1' } })?.name).toBe('sandboxed');
    expect(findRunscRuntime({ runc: { path: 'runc' }, kata: { path: '/usr/bin/kata-runtime' } })).toBeNull();
  });

  it('says which network gVisor gives the container, from runsc\'s arguments', () => {
    expect(gvisorNetwork(['--network=host'])).toMatch(/^host network/);
    expect(gvisorNetwork(['--debug', '--network', 'host'])).toMatch(/^host network/);
    expect(gvisorNetwork(['--network=none'])).toMatch(/^no network/);
    expect(gvisorNetwork([])).toMatch(/gVisor's own network stack/);
  });
});

describe('gvisor detection', () => {
  it('is available through Docker\'s registered runtime, with its version and network', () => {
    const detection = describeGvisor(facts());
    expect(detection).toMatchObject({ available: true, version: '0.0~20221219.0', reason: null, fix: null });
    expect(detection.choice).toEqual({ engine: 'docker', runtime: 'runsc', network: expect.stringMatching(/^host network/) });
    expect(detection.details.join(' · ')).toContain('host network');
  });

  it('says how to install runsc when it is nowhere', () => {
    const detection = describeGvisor(facts({ dockerRuntimes: { runc: { path: 'runc' } }, runscOnPath: null, runscVersion: null }));
    expect(detection).toMatchObject({ available: false, reason: 'gVisor (runsc) is not installed' });
    expect(detection.fix).toContain('apt-get install runsc');
  });

  it('gives the daemon.json entry and the reload when runsc is installed but Docker does not know it', () => {
    const detection = describeGvisor(facts({ dockerRuntimes: { runc: { path: 'runc' } } }));
    expect(detection.reason).toBe('runsc is installed but not registered with Docker');
    expect(detection.fix).toContain('{"runtimes":{"runsc":{"path":"/usr/bin/runsc","runtimeArgs":["--network=host"]}}}');
    expect(detection.fix).toContain('/etc/docker/daemon.json');
    expect(detection.fix).toMatch(/reload/);
  });

  it('refuses a rootless Docker even with runsc registered', () => {
    const detection = describeGvisor(facts({ dockerRootless: true }));
    expect(detection).toMatchObject({ available: false, choice: null });
    expect(detection.reason).toMatch(/rootless Docker/);
  });

  it('falls back to Podman with runsc by path where Docker is missing, and refuses rootless Podman', () => {
    const noDocker = { docker: engine('docker', false), dockerRuntimes: null };
    const detection = describeGvisor(facts(noDocker));
    expect(detection.choice).toEqual({ engine: 'podman', runtime: '/usr/bin/runsc', network: expect.stringMatching(/own network stack/) });
    expect(describeGvisor(facts({ ...noDocker, podmanRootless: true })).reason).toMatch(/rootless Podman/);
  });

  it('names the missing engine when neither Docker nor Podman runs', () => {
    const detection = describeGvisor(facts({ docker: engine('docker', false), dockerRuntimes: null, podman: engine('podman', false) }));
    expect(detection.reason).toBe('no container engine to run gVisor under (docker is not installed)');
    expect(detection.fix).toBe('install docker');
  });

  it('says gVisor is Linux only on a Mac without a registered runtime', () => {
    const detection = describeGvisor(facts({ platform: 'darwin', dockerRuntimes: { runc: { path: 'runc' } }, runscOnPath: null }));
    expect(detection.reason).toMatch(/Linux only/);
  });
});
