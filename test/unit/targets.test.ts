import { describe, expect, it } from 'vitest';
import { parseModes, parseTargets, UsageError } from '../../src/config/options.js';
import { parsePlacement, placementLabel, targetSlug, urlTransport } from '../../src/domain/targets.js';

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
    expect(() => parsePlacement('sandbox@buildbox')).toThrow(/runs only on this machine.*docker, podman/);
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
});
