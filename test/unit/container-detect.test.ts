import { existsSync, mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliResult } from '../../src/runtimes/cli-call.js';
import { detectEngine, readDebugLog, type DetectDeps } from '../../src/runtimes/container-detect.js';
import { dockerSocket } from '../../src/runtimes/engine-api.js';
import { filePodmanMemo, type PodmanMemo } from '../../src/runtimes/podman-memo.js';
import { fileDockerMemo, type DockerMemo } from '../../src/runtimes/docker-memo.js';

const ok = (stdout: string, stderr = ''): CliResult => ({ exitCode: 0, stdout, stderr, timedOut: false, missing: false });

/** What Podman 4.3 prints on stderr with --log-level=debug (abridged). */
const PODMAN_DEBUG = [
  'time="2026-12-02T09:43:04Z" level=debug msg="Merged system config \\"/usr/share/containers/containers.conf\\""',
  'time="2026-12-02T09:43:04Z" level=debug msg="Merged system config \\"/etc/containers/containers.conf\\""',
  'time="2026-12-02T09:43:04Z" level=debug msg="Using OCI runtime \\"/usr/bin/runc\\""',
].join('\n');

interface Fake {
  deps: DetectDeps;
  /** CLI calls, by their arguments. */
  calls: string[][];
  /** API paths asked over the socket. */
  asked: string[];
}

/** A machine described by canned answers: CLI calls by their arguments, files by path. */
function machine(options: {
  cli?: Record<string, CliResult>;
  api?: Record<string, unknown>;
  files?: Record<string, string>;
  uid?: number;
  env?: NodeJS.ProcessEnv;
  versions?: Map<string, string>;
  podman?: PodmanMemo;
  docker?: DockerMemo;
}): Fake {
  const calls: string[][] = [];
  const asked: string[] = [];
  const files = options.files ?? {};
  const versions = options.versions ?? new Map<string, string>();
  return {
    calls,
    asked,
    deps: {
      env: options.env ?? { PATH: '/usr/bin' },
      platform: 'linux',
      uid: options.uid ?? 0,
      run: async (file, args) => {
        calls.push([file, ...args]);
        const key = [file, ...args].join(' ');
        const answer = Object.entries(options.cli ?? {}).find(([prefix]) => key.startsWith(prefix))?.[1];
        return answer ?? { exitCode: null, stdout: '', stderr: '', timedOut: false, missing: true };
      },
      get: async (_socket, path) => {
        asked.push(path.split('?')[0]!);
        return options.api?.[path.split('?')[0]!] ?? null;
      },
      // A daemon that answers /info answers /_ping too.
      ping: async () => (options.api?.['/info'] ? 'Docker/20.10.24+dfsg1 (linux)' : null),
      exists: (path) => path in files,
      read: (path) => files[path] ?? null,
      versions: { get: (file) => versions.get(file) ?? null, set: (file, version) => void versions.set(file, version) },
      podman: options.podman ?? { get: () => null, set: () => {} },
      docker: options.docker ?? { get: () => null, set: () => {} },
    },
  };
}

const podmanUp = {
  'podman --version': ok('podman version 4.3.1\n'),
  'podman --log-level=debug images': ok('localhost/cc-iso-agent:0123456789ab\n', PODMAN_DEBUG),
};

describe('Podman detection', () => {
  it('reads version, OCI runtime and cc-iso images from two quick calls, never `podman info`', async () => {
    const fake = machine({ cli: podmanUp, files: { '/usr/libexec/podman/catatonit': '' } });
    const detection = await detectEngine('podman', fake.deps);
    expect(detection).toMatchObject({
      available: true,
      runtime: 'Podman (rootful)',
      version: '4.3.1',
      facts: { rootless: false, desktop: false, images: ['cc-iso-agent:0123456789ab'], socket: null },
    });
    expect(detection.details.slice(0, 2)).toEqual(['rootful', 'OCI runtime: runc']);
    expect(fake.calls.some((call) => call.includes('info'))).toBe(false);
  });

  it('asks a Podman binary it has seen before only the one `images` question', async () => {
    const versions = new Map<string, string>();
    const files = { '/usr/libexec/podman/catatonit': '' };
    await detectEngine('podman', machine({ cli: podmanUp, files, versions }).deps);
    expect(versions.get('podman')).toBe('4.3.1');
    const again = machine({ cli: podmanUp, files, versions });
    expect(await detectEngine('podman', again.deps)).toMatchObject({ available: true, version: '4.3.1' });
    expect(again.calls.map((call) => call[1])).toEqual(['--log-level=debug']);
  });

  it('remembers a local Podman\'s answer while its binary, configuration, helpers and image store stay the same', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cc-iso-podman-'));
    const file = (path: string, text = '') => {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
      return path;
    };
    const bin = join(root, 'bin');
    file(join(bin, 'podman'));
    const runc = file(join(bin, 'runc'));
    const conmon = file(join(bin, 'conmon'));
    const catatonit = file(join(bin, 'catatonit'));
    const systemConf = file(join(root, 'etc', 'containers.conf'), '[engine]\n');
    const index = file(join(root, 'storage', 'overlay-images', 'images.json'), '[]');
    const log = [
      `time="x" level=debug msg="Merged system config \\"${systemConf}\\""`,
      `time="x" level=debug msg="Using conmon: \\"${conmon}\\""`,
      `time="x" level=debug msg="Using graph root ${join(root, 'storage')}"`,
      'time="x" level=info msg="[graphdriver] using prior storage driver: overlay"',
      `time="x" level=debug msg="Using OCI runtime \\"${runc}\\""`,
    ].join('\n');
    const env = { PATH: bin, XDG_CACHE_HOME: join(root, 'cache'), XDG_CONFIG_HOME: join(root, 'config') };
    const memo = filePodmanMemo(env, 0);
    const detect = async () => {
      const fake = machine({
        cli: { 'podman --version': ok('podman version 4.3.1\n'), 'podman --log-level=debug images': ok('localhost/cc-iso-agent:0123456789ab\n', log) },
        env,
        podman: memo,
      });
      // Only this folder's files exist: the machine's own catatonit must not be found.
      fake.deps.exists = (path) => path.startsWith(root) && existsSync(path);
      return { detection: await detectEngine('podman', fake.deps), asked: fake.calls.length > 0 };
    };
    let touched = 0;
    const later = () => new Date(Date.now() + ++touched * 1000);

    const first = await detect();
    expect(first).toMatchObject({ asked: true, detection: { available: true, version: '4.3.1', facts: { images: ['cc-iso-agent:0123456789ab'] } } });
    const again = await detect();
    expect(again.asked).toBe(false);
    expect(again.detection).toEqual(first.detection);

    // An image built, tagged or removed rewrites the store's index.
    utimesSync(index, later(), later());
    expect((await detect()).asked).toBe(true);
    expect((await detect()).asked).toBe(false);
    // A user containers.conf that did not exist before.
    file(join(root, 'config', 'containers', 'containers.conf'), '[engine]\n');
    expect((await detect()).asked).toBe(true);
    expect((await detect()).asked).toBe(false);
    // The init binary removed: asked again, and unavailable.
    rmSync(catatonit);
    const noInit = await detect();
    expect(noInit).toMatchObject({ asked: true, detection: { available: false } });
    // An unavailable answer is not remembered.
    expect((await detect()).asked).toBe(true);
  });

  it('is rootless for a non-root user (keep-id mapping follows from it)', async () => {
    const fake = machine({ cli: podmanUp, uid: 1000, files: { '/usr/libexec/podman/catatonit': '' } });
    expect(await detectEngine('podman', fake.deps)).toMatchObject({ runtime: 'Podman (rootless)', facts: { rootless: true } });
  });

  // Podman installed without recommended packages: every `run --init` would fail with exit 125.
  it('is unavailable without its init binary, and says how to install it', async () => {
    const fake = machine({ cli: podmanUp, files: {} });
    const detection = await detectEngine('podman', fake.deps);
    expect(detection.available).toBe(false);
    expect(detection.reason).toMatch(/no container init \(catatonit not found\).*--init/);
    expect(detection.fix).toMatch(/apt-get install catatonit/);
  });

  it('finds catatonit on PATH too', async () => {
    const fake = machine({ cli: podmanUp, env: { PATH: '/opt/bin:/usr/bin' }, files: { '/opt/bin/catatonit': '' } });
    expect((await detectEngine('podman', fake.deps)).available).toBe(true);
  });

  it('checks the init_path containers.conf sets, the last file winning', async () => {
    const files = {
      '/usr/share/containers/containers.conf': '[containers]\n#init_path = "/commented/out"\n',
      '/etc/containers/containers.conf': '[engine]\nruntime = "runc"\n[containers]\ninit_path = "/opt/init/tini"\n',
      '/usr/libexec/podman/catatonit': '',
    };
    const missing = await detectEngine('podman', machine({ cli: podmanUp, files }).deps);
    expect(missing.available).toBe(false);
    expect(missing.reason).toMatch(/\/opt\/init\/tini is missing/);
    const present = await detectEngine('podman', machine({ cli: podmanUp, files: { ...files, '/opt/init/tini': '' } }).deps);
    expect(present.available).toBe(true);
  });

  it('asks `podman info` only for a remote Podman, whose log names no local OCI runtime', async () => {
    const info = { host: { security: { rootless: true }, ociRuntime: { name: 'crun' }, kernel: '6.5.6-300.fc39' }, version: { Version: '5.2.0' } };
    const fake = machine({
      cli: {
        'podman --version': ok('podman version 5.2.0\n'),
        'podman --log-level=debug images': ok('', 'time="x" level=debug msg="Called images.PersistentPreRunE"'),
        'podman info': ok(JSON.stringify(info)),
      },
    });
    const detection = await detectEngine('podman', { ...fake.deps, platform: 'darwin' });
    expect(detection).toMatchObject({ available: true, version: '5.2.0', facts: { rootless: true, desktop: true, images: [] } });
    expect(detection.details).toContain('OCI runtime: crun');
  });

  it('says Podman is not installed, or why it failed, without its debug lines', async () => {
    expect((await detectEngine('podman', machine({}).deps)).reason).toBe('podman is not installed');
    const broken = machine({
      cli: {
        'podman --version': ok('podman version 4.3.1'),
        'podman --log-level=debug images': { exitCode: 125, stdout: '', stderr: `${PODMAN_DEBUG}\nError: database is locked`, timedOut: false, missing: false },
      },
    });
    expect((await detectEngine('podman', broken.deps)).reason).toBe('Podman: daemon not running (Error: database is locked)');
  });

  it('reads the log whether or not logrus escaped the quotes', () => {
    expect(readDebugLog('DEBU[0000] Using OCI runtime "/usr/bin/crun"').ociRuntime).toBe('/usr/bin/crun');
    expect(readDebugLog(PODMAN_DEBUG).configFiles).toEqual(['/usr/share/containers/containers.conf', '/etc/containers/containers.conf']);
  });
});

describe('Docker detection', () => {
  const info = {
    ServerVersion: '20.10.24+dfsg1',
    OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
    SecurityOptions: ['name=seccomp,profile=default', 'name=rootless'],
    Runtimes: { runc: {}, runsc: {} },
    DefaultRuntime: 'runc',
    KernelVersion: '6.1.0',
  };
  const withDocker = (dir: string) => {
    writeFileSync(join(dir, 'docker'), '', { mode: 0o755 });
    return { PATH: dir, DOCKER_HOST: 'unix:///run/user/1000/docker.sock' };
  };

  it('asks the API socket the CLI uses, and no CLI at all', async () => {
    const fake = machine({ api: { '/info': info, '/images/json': [{ RepoTags: ['cc-iso-agent:0123456789ab'] }] } });
    const detection = await detectEngine('docker', { ...fake.deps, env: withDocker(mkdtempSync(join(tmpdir(), 'cc-iso-bin-'))) });
    expect(detection).toMatchObject({
      available: true,
      runtime: 'Docker Engine',
      version: '20.10.24+dfsg1',
      details: ['rootless', 'OCI runtimes: runc, runsc (default runc)', 'kernel 6.1.0'],
      facts: { rootless: true, desktop: false, images: ['cc-iso-agent:0123456789ab'], socket: '/run/user/1000/docker.sock' },
    });
    expect(fake.calls).toEqual([]);
  });

  it('remembers /info per daemon: asked again after the daemon restarts, is upgraded or rereads daemon.json', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cc-iso-docker-'));
    const socket = join(root, 'docker.sock');
    writeFileSync(socket, '');
    const bin = mkdtempSync(join(tmpdir(), 'cc-iso-bin-'));
    const env = { ...withDocker(bin), DOCKER_HOST: `unix://${socket}`, XDG_CACHE_HOME: join(root, 'cache'), XDG_CONFIG_HOME: join(root, 'config') };
    const memo = fileDockerMemo(env);
    const detect = async (server = 'Docker/20.10.24+dfsg1 (linux)') => {
      const fake = machine({ api: { '/info': info, '/images/json': [{ RepoTags: ['cc-iso-agent:0123456789ab'] }] }, env, docker: memo });
      fake.deps.ping = async () => server;
      return { detection: await detectEngine('docker', fake.deps), asked: fake.asked };
    };
    const first = await detect();
    expect(first.asked).toEqual(['/images/json', '/info']);
    const again = await detect();
    // The images are asked every time; /info is not.
    expect(again.asked).toEqual(['/images/json']);
    expect(again.detection).toEqual(first.detection);
    // An upgraded daemon answers /_ping with another version.
    expect((await detect('Docker/28.1.1 (linux)')).asked).toContain('/info');
    expect((await detect('Docker/28.1.1 (linux)')).asked).not.toContain('/info');
    // A daemon started again makes a new socket; a reload rereads the user's daemon.json.
    rmSync(socket);
    writeFileSync(socket, '');
    expect((await detect('Docker/28.1.1 (linux)')).asked).toContain('/info');
    mkdirSync(join(root, 'config', 'docker'), { recursive: true });
    writeFileSync(join(root, 'config', 'docker', 'daemon.json'), '{"runtimes":{"runsc":{"path":"/usr/bin/runsc"}}}');
    expect((await detect('Docker/28.1.1 (linux)')).asked).toContain('/info');
  });

  it('falls back to `docker info` when the socket does not answer, and reads the same facts', async () => {
    const fake = machine({ cli: { 'docker info': ok(JSON.stringify({ ...info, OperatingSystem: 'Docker Desktop' })) } });
    const detection = await detectEngine('docker', { ...fake.deps, env: withDocker(mkdtempSync(join(tmpdir(), 'cc-iso-bin-'))) });
    expect(detection).toMatchObject({ available: true, runtime: 'Docker Desktop', facts: { desktop: true, images: null, socket: null } });
    expect(fake.calls).toEqual([['docker', 'info', '--format', '{{json .}}']]);
  });

  it('reports a daemon that is down with the CLI\'s words and the fix', async () => {
    const fake = machine({
      cli: { 'docker info': { exitCode: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?', timedOut: false, missing: false } },
    });
    const detection = await detectEngine('docker', fake.deps);
    expect(detection.available).toBe(false);
    expect(detection.reason).toMatch(/^Docker: daemon not running \(Cannot connect/);
  });
});

describe('the socket the docker CLI talks to', () => {
  it('follows DOCKER_HOST, and leaves tcp and ssh to the CLI', () => {
    expect(dockerSocket({ DOCKER_HOST: 'unix:///tmp/d.sock' }, 'linux')).toBe('/tmp/d.sock');
    expect(dockerSocket({ DOCKER_HOST: 'tcp://10.0.0.2:2375' }, 'linux')).toBeNull();
    expect(dockerSocket({ DOCKER_HOST: 'ssh://me@box' }, 'linux')).toBeNull();
  });

  it('follows the current context (Docker Desktop on Linux, rootless), else the default socket', () => {
    const config = mkdtempSync(join(tmpdir(), 'cc-iso-docker-config-'));
    expect(dockerSocket({ DOCKER_CONFIG: config }, 'linux')).toBe('/var/run/docker.sock');
    const meta = join(config, 'contexts', 'meta', createHash('sha256').update('desktop-linux').digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: 'desktop-linux', Endpoints: { docker: { Host: 'unix:///home/u/.docker/desktop/docker.sock' } } }));
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'desktop-linux' }));
    expect(dockerSocket({ DOCKER_CONFIG: config }, 'linux')).toBe('/home/u/.docker/desktop/docker.sock');
    expect(dockerSocket({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'default' }, 'linux')).toBe('/var/run/docker.sock');
    expect(dockerSocket({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'unknown' }, 'linux')).toBeNull();
  });
});
