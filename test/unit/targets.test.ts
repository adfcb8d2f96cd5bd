import { describe, expect, it } from 'vitest';
import { parseModes, parseTargets, UsageError } from '../../src/config/options.js';
import { parsePlacement, placementLabel, targetSlug, urlTransport } from '../../src/domain/targets.js';
import { containerName, isOwnContainer, newSessionId, sessionOfName } from '../../src/runtimes/ownership.js';

describe('<mode>@<target>', () => {
  it('splits local modes from placements on other engines, URLs with a user included', () => {
    const value = 'host,docker@buildbox,podman@ci,docker@ssh://agent@10.1.2.3';
    expect(parseModes(value)).toEqual(['host']);
    expect(parseTargets(value)).toEqual([
      { mode: 'docker', target: 'buildbox' },
      { mode: 'podman', target: 'ci' },
      { mode: 'docker', target: 'ssh://agent@10.1.2.3' },
    ]);
    expect(parseModes('docker@buildbox')).toEqual([]);
  });

  it('refuses a target for a mode that runs only here, and an empty target', () => {
    expect(() => parseTargets('host@buildbox')).toThrow(UsageError);
    expect(() => parsePlacement('sandbox@buildbox')).toThrow(/runs only on this machine.*docker, podman, gvisor/);
    expect(parsePlacement('gvisor@buildbox')).toEqual({ mode: 'gvisor', target: 'buildbox' });
    expect(() => parsePlacement('docker@')).toThrow(/names no target/);
    expect(() => parsePlacement('lxc@buildbox')).toThrow(/unknown mode "lxc"/);
  });

  it('labels, names and transports', () => {
    expect(placementLabel({ mode: 'docker', target: 'buildbox' })).toBe('docker@buildbox');
    expect(placementLabel({ mode: 'docker', target: null })).toBe('docker');
    expect(targetSlug('ssh://agent@10.1.2.3:22/run/podman.sock')).toMatch(/^[a-zA-Z0-9_.-]+$/);
    expect(urlTransport('tcp://10.1.2.3:2376', true)).toBe('tls');
    expect(urlTransport('tcp://10.1.2.3:2375', false)).toBe('tcp');
    expect(urlTransport('ssh://agent@host', false)).toBe('ssh');
  });

  it('names what a run on a target makes so that clean knows it as cc-iso\'s, and whose session it is', () => {
    const session = newSessionId();
    for (const target of ['cc-iso-remote-tls', 'ssh://agent@10.1.2.3:22/run/podman.sock', 'Build_Box.lan']) {
      const run = `${session}-podman-${targetSlug(target)}-w1`;
      expect(isOwnContainer(containerName(run, 'probe'), run), target).toBe(true);
      expect(isOwnContainer(containerName(run, 'workspace'), run), target).toBe(true);
      expect(isOwnContainer(containerName(run, 'probe'), `${session}-podman-w1`), target).toBe(false);
      expect(sessionOfName(containerName(run, 'sync')), target).toBe(session);
    }
  });
});
