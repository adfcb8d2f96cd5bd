import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenCommandInput } from '../../src/cli/token.js';
import { tokenCommand } from '../../src/cli/token.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
const TOKEN = 'sk-ant-oat01-SECRETSECRETSECRETSECRET9xQz';

let root: string;
let home: string;
let cwd: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cc-iso-token-'));
  home = join(root, 'home');
  cwd = join(root, 'work');
  await mkdir(join(home, '.claude'), { recursive: true });
  await mkdir(cwd);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(overrides: Partial<TokenCommandInput> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await tokenCommand({
    env: {},
    cwd,
    home,
    platform: 'linux',
    readKeychain: async () => null,
    now: NOW,
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    ...overrides,
  });
  // Whatever happens, the value never reaches the terminal.
  expect(out + err).not.toContain(TOKEN);
  return { code, out, err };
}

const credentials = (expiresAt: number) =>
  writeFile(join(home, '.claude', '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: TOKEN, expiresAt } }));

describe('cc-iso token', () => {
  it('shows an environment token: source, variable, masked value, no expiry', async () => {
    const { code, out, err } = await run({ env: { CLAUDE_CODE_OAUTH_TOKEN: TOKEN } });
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toBe(
      [
        'source:    environment variable CLAUDE_CODE_OAUTH_TOKEN',
        'passed as: CLAUDE_CODE_OAUTH_TOKEN',
        'value:     sk-a…9xQz',
        'expiry:    no expiry',
        '',
      ].join('\n'),
    );
  });

  it('shows an API key from a .env under the name used there', async () => {
    await writeFile(join(cwd, '.env'), `ANTHROPIC_API_KEY="${TOKEN}"\n`);
    const { code, out } = await run();
    expect(code).toBe(0);
    expect(out).toContain(`source:    ${join(cwd, '.env')}`);
    expect(out).toContain('passed as: ANTHROPIC_API_KEY');
  });

  it('shows the time to expiry of the credentials file', async () => {
    await credentials(NOW + 11 * 60 * MINUTE + 20 * MINUTE);
    const { code, out } = await run();
    expect(code).toBe(0);
    expect(out).toContain('source:    ~/.claude/.credentials.json');
    expect(out).toContain('passed as: CLAUDE_CODE_OAUTH_TOKEN');
    expect(out).toContain('value:     sk-a…9xQz');
    expect(out).toContain('expiry:    expires in 11h 20m (2026-01-15T23:20:00.000Z)');
  });

  it('shows a Keychain token on macOS', async () => {
    const { code, out } = await run({
      platform: 'darwin',
      readKeychain: async () => JSON.stringify({ claudeAiOauth: { accessToken: TOKEN, expiresAt: NOW + 3 * 24 * 60 * MINUTE } }),
    });
    expect(code).toBe(0);
    expect(out).toContain('source:    macOS Keychain item "Claude Code-credentials"');
    expect(out).toContain('expires in 3 days');
  });

  it('exits 1 on an expired token, with the fix', async () => {
    await credentials(NOW - 2 * 24 * 60 * MINUTE);
    const { code, out, err } = await run();
    expect(code).toBe(1);
    expect(out).toContain('expiry:    expired 2 days ago');
    expect(err).toContain('The token from ~/.claude/.credentials.json expired 2 days ago');
    expect(err).toContain('`claude setup-token`');
  });

  it('exits 1 when nothing is found, listing where it looked and how to create one', async () => {
    const { code, out, err } = await run({ platform: 'darwin' });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('No Claude credential found');
    for (const place of ['CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_API_KEY', join(cwd, '.env'), '~/.claude/.credentials.json', 'Keychain']) {
      expect(err).toContain(place);
    }
    expect(err).toContain('`claude setup-token`');
  });

  it('exits 1 with one line and the fix for an expiry past any date, not "Invalid time value"', async () => {
    await credentials(1e20);
    const { code, out, err } = await run();
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^\S+\.credentials\.json has a "claudeAiOauth\.expiresAt" of 100000000000000000000, which is no date .*: run `claude` to log in again\n$/);
  });

  it('exits 1 with the message for a malformed credentials file', async () => {
    await writeFile(join(home, '.claude', '.credentials.json'), `{"claudeAiOauth": {"accessToken": ${TOKEN}}}`);
    const { code, out, err } = await run();
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(`${join(home, '.claude', '.credentials.json')} is not valid JSON\n`);
  });
});
