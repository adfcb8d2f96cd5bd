import { describe, expect, it } from 'vitest';
import { describeSrt, type SrtFacts } from '../../src/runtimes/srt.js';
import { allowEntries, describePolicy, srtPolicy, srtSettings } from '../../src/runtimes/srt-settings.js';

/** This machine: Debian with bubblewrap, socat and ripgrep, user namespaces allowed, root. */
function facts(overrides: Partial<SrtFacts> = {}): SrtFacts {
  return {
    platform: 'linux',
    srtVersion: '0.0.83',
    tools: { bwrap: '/usr/bin/bwrap', socat: '/usr/bin/socat', rg: '/usr/bin/rg', sandboxExec: null },
    bwrapVersion: '0.8.0',
    namespaces: { ok: true },
    sysctl: { unprivilegedUsernsClone: null, maxUserNamespaces: '63414', apparmorRestrictUserns: null },
    root: true,
    ...overrides,
  };
}

describe('srt detection', () => {
  it('is available with srt\'s version and says what it shares with the host', () => {
    const detection = describeSrt(facts());
    expect(detection).toMatchObject({ mode: 'srt', available: true, runtime: 'srt', version: '0.0.83', reason: null, fix: null });
    expect(detection.details.join(' · ')).toMatch(/bubblewrap 0\.8\.0.*host's kernel and environment/);
  });

  it('names each missing program and the packages that bring them', () => {
    const detection = describeSrt(facts({ tools: { bwrap: null, socat: '/usr/bin/socat', rg: null, sandboxExec: null } }));
    expect(detection.available).toBe(false);
    expect(detection.reason).toBe('srt needs `bwrap`, `rg` on Linux, not found on PATH');
    expect(detection.fix).toMatch(/^`sudo apt-get install bubblewrap ripgrep`/);
    expect(describeSrt(facts({ tools: { bwrap: '/b', socat: null, rg: '/r', sandboxExec: null } })).fix).toMatch(/install socat`/);
  });

  it('says user namespaces are off, with the sysctl that turns them on', () => {
    const refused = { namespaces: { ok: false as const, error: 'bwrap: No permissions to creating new namespace' } };
    const debian = describeSrt(facts({ ...refused, sysctl: { unprivilegedUsernsClone: '0', maxUserNamespaces: '63414', apparmorRestrictUserns: null } }));
    expect(debian.reason).toBe('bubblewrap cannot create user namespaces here (bwrap: No permissions to creating new namespace)');
    expect(debian.fix).toContain('kernel.unprivileged_userns_clone=1');
    const zero = describeSrt(facts({ ...refused, sysctl: { unprivilegedUsernsClone: null, maxUserNamespaces: '0', apparmorRestrictUserns: null } }));
    expect(zero.fix).toContain('user.max_user_namespaces=');
    const ubuntu = describeSrt(facts({ ...refused, sysctl: { unprivilegedUsernsClone: null, maxUserNamespaces: '1', apparmorRestrictUserns: '1' } }));
    expect(ubuntu.fix).toContain('kernel.apparmor_restrict_unprivileged_userns=0');
    const root = describeSrt(facts({ ...refused, sysctl: { unprivilegedUsernsClone: null, maxUserNamespaces: '1', apparmorRestrictUserns: null } }));
    expect(root.fix).toMatch(/CAP_SETFCAP/);
  });

  it('uses Seatbelt on macOS and needs only ripgrep there', () => {
    const mac = { platform: 'darwin' as const, tools: { bwrap: null, socat: null, rg: '/opt/homebrew/bin/rg', sandboxExec: '/usr/bin/sandbox-exec' }, namespaces: null };
    expect(describeSrt(facts(mac))).toMatchObject({ available: true, details: expect.arrayContaining([expect.stringMatching(/Seatbelt/)]) });
    expect(describeSrt(facts({ ...mac, tools: { ...mac.tools, rg: null } })).fix).toBe('`brew install ripgrep`');
    expect(describeSrt(facts({ ...mac, tools: { ...mac.tools, sandboxExec: null } })).reason).toMatch(/Seatbelt/);
  });

  it('is unavailable, with a reason, when the bundled package is missing or on Windows', () => {
    expect(describeSrt(facts({ srtVersion: null })).reason).toMatch(/sandbox-runtime is missing/);
    expect(describeSrt(facts({ platform: 'win32' })).fix).toMatch(/WSL2/);
  });
});

describe('the srt policy of a run', () => {
  const scratch = ['/tmp/cc-iso-srt-x/tmp', '/tmp/cc-iso-srt-x/claude'];

  it('allows the public API and the registry by name, and writing only to the workspace and the run\'s scratch', () => {
    const policy = srtPolicy({ workspace: '/work/space', scratch, apiUrl: undefined, registryUrl: 'https://registry.npmjs.org/' });
    expect(policy).toEqual({
      allowedDomains: ['api.anthropic.com', 'registry.npmjs.org'],
      allowWrite: ['/work/space', ...scratch],
      loopbackApi: false,
    });
    expect(srtSettings(policy)).toEqual({
      network: { allowedDomains: ['api.anthropic.com', 'registry.npmjs.org'], deniedDomains: [] },
      filesystem: { denyRead: [], allowWrite: ['/work/space', ...scratch], denyWrite: [] },
    });
  });

  it('allow-lists a loopback API as an IP literal with its port and asks for NO_PROXY to be emptied', () => {
    const policy = srtPolicy({ workspace: '/w', scratch, apiUrl: 'http://127.0.0.1:40123/s/write', registryUrl: 'https://registry.npmjs.org/' });
    expect(policy.allowedDomains).toEqual(['127.0.0.1:40123', 'registry.npmjs.org']);
    expect(policy.loopbackApi).toBe(true);
    expect(allowEntries('http://localhost:8080')).toEqual({ entries: ['localhost:8080', '127.0.0.1:8080'], loopback: true });
    expect(allowEntries('http://[::1]:9000/')).toEqual({ entries: ['[::1]:9000'], loopback: true });
    expect(allowEntries('https://127.0.0.1')).toEqual({ entries: ['127.0.0.1:443'], loopback: true });
  });

  it('takes a gateway by host name on any port', () => {
    expect(allowEntries('https://gateway.example.internal:8443/anthropic')).toEqual({ entries: ['gateway.example.internal'], loopback: false });
  });

  it('is recorded in words: allowed hosts, writable folders, srt\'s own defaults', () => {
    const policy = srtPolicy({ workspace: '/w', scratch: ['/s/tmp'], apiUrl: 'http://127.0.0.1:1234', registryUrl: 'https://registry.npmjs.org/' });
    expect(describePolicy(policy, ['/tmp/claude'])).toBe(
      'srt policy: network only to 127.0.0.1:1234, registry.npmjs.org (any other host gets 403 from srt\'s proxy); ' +
        'writable only /w, /s/tmp and srt\'s defaults /tmp/claude; NO_PROXY emptied inside so the loopback API goes through the proxy',
    );
  });
});
