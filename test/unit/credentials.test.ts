import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkExpiry, describeExpiry } from '../../src/credentials/expiry.js';
import { FORWARDED_VARIABLES, forwardedEnv, SECRET_VARIABLES, secretValues, withoutSecrets } from '../../src/credentials/forward.js';
import { maskSecret, redact } from '../../src/credentials/mask.js';
import { readableText } from '../../src/domain/sanitize.js';
import type { ResolveInput } from '../../src/credentials/resolve.js';
import { CredentialError, resolveCredential, searchedPlaces } from '../../src/credentials/resolve.js';

const OAT = 'sk-ant-oat01-FILETOKENaaaaaaaaaaaaaaaaaaaa9xQz';
const KEYCHAIN_OAT = 'sk-ant-oat01-KEYCHAINbbbbbbbbbbbbbbbbbbbbbbbb';
const HOUR = 3_600_000;

let home: string;
let cwd: string;

beforeEach(async () => {
  const root = await mkdtemp(join(tmpdir(), 'cc-iso-cred-'));
  home = join(root, 'home');
  cwd = join(root, 'work');
  await mkdir(join(home, '.claude'), { recursive: true });
  await mkdir(cwd, { recursive: true });
});

afterEach(async () => {
  await rm(join(home, '..'), { recursive: true, force: true });
});

function input(overrides: Partial<ResolveInput> = {}): ResolveInput {
  return { env: {}, cwd, home, platform: 'linux', readKeychain: async () => null, ...overrides };
}

const credentialsPath = () => join(home, '.claude', '.credentials.json');
const writeCredentials = (content: unknown) =>
  writeFile(credentialsPath(), typeof content === 'string' ? content : JSON.stringify(content));
const oauthJson = (accessToken: unknown, expiresAt?: unknown) =>
  JSON.stringify({ claudeAiOauth: { accessToken, refreshToken: 'sk-ant-ort01-refresh', expiresAt, scopes: ['user:inference'] } });

// root reads any file regardless of its mode, so a permission error cannot be made for it.
const asRoot = process.getuid?.() === 0;
if (asRoot) console.warn('skipping the unreadable-credentials-file test: running as root, which reads any file');

describe('resolveCredential', () => {
  it('returns null when no source has a credential', async () => {
    expect(await resolveCredential(input())).toBeNull();
    expect(await resolveCredential(input({ platform: 'darwin' }))).toBeNull();
  });

  it('takes CLAUDE_CODE_OAUTH_TOKEN from the environment first', async () => {
    await writeFile(join(cwd, '.env'), 'ANTHROPIC_API_KEY=sk-ant-api03-fromdotenv\n');
    await writeCredentials(oauthJson(OAT, Date.now() + HOUR));
    const env = { CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-env', ANTHROPIC_API_KEY: 'sk-ant-api03-env' };
    expect(await resolveCredential(input({ env, platform: 'darwin', readKeychain: async () => oauthJson(KEYCHAIN_OAT) }))).toEqual({
      source: 'env:CLAUDE_CODE_OAUTH_TOKEN',
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      value: 'sk-ant-oat01-env',
      expiresAt: null,
      origin: 'environment variable CLAUDE_CODE_OAUTH_TOKEN',
    });
  });

  it('takes ANTHROPIC_API_KEY from the environment next, skipping empty values', async () => {
    await writeFile(join(cwd, '.env'), 'CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-fromdotenv\n');
    const env = { CLAUDE_CODE_OAUTH_TOKEN: '  ', ANTHROPIC_API_KEY: 'sk-ant-api03-env' };
    expect(await resolveCredential(input({ env }))).toMatchObject({
      source: 'env:ANTHROPIC_API_KEY',
      variable: 'ANTHROPIC_API_KEY',
      value: 'sk-ant-api03-env',
    });
  });

  it('reads a .env in the working folder before the credentials file, keeping the name used in it', async () => {
    await writeCredentials(oauthJson(OAT, Date.now() + HOUR));
    await writeFile(join(cwd, '.env'), 'ANTHROPIC_API_KEY=sk-ant-api03-fromdotenv\n');
    expect(await resolveCredential(input({ env: { ANTHROPIC_API_KEY: '' } }))).toEqual({
      source: 'dotenv',
      variable: 'ANTHROPIC_API_KEY',
      value: 'sk-ant-api03-fromdotenv',
      expiresAt: null,
      origin: join(cwd, '.env'),
    });
    await writeFile(join(cwd, '.env'), 'ANTHROPIC_API_KEY=sk-ant-api03-x\nCLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-fromdotenv\n');
    expect(await resolveCredential(input())).toMatchObject({ variable: 'CLAUDE_CODE_OAUTH_TOKEN', value: 'sk-ant-oat01-fromdotenv' });
  });

  it('parses .env quotes, comments, export prefixes and skips empty values there too', async () => {
    await writeFile(
      join(cwd, '.env'),
      [
        '# a comment',
        'CLAUDE_CODE_OAUTH_TOKEN=',
        'export ANTHROPIC_API_KEY="sk-ant-api03-quoted#notacomment" # trailing comment',
        '',
      ].join('\n'),
    );
    expect(await resolveCredential(input())).toMatchObject({ source: 'dotenv', variable: 'ANTHROPIC_API_KEY', value: 'sk-ant-api03-quoted#notacomment' });
    await writeFile(join(cwd, '.env'), "CLAUDE_CODE_OAUTH_TOKEN='sk-ant-oat01-single' # c\n");
    expect(await resolveCredential(input())).toMatchObject({ value: 'sk-ant-oat01-single' });
    await writeFile(join(cwd, '.env'), 'OTHER=1\n');
    expect(await resolveCredential(input())).toBeNull();
  });

  it('reads the credentials file as an OAuth token with its expiry', async () => {
    const expiresAt = Date.now() + HOUR;
    await writeCredentials(oauthJson(OAT, expiresAt));
    expect(await resolveCredential(input({ platform: 'darwin', readKeychain: async () => oauthJson(KEYCHAIN_OAT) }))).toEqual({
      source: 'credentials-file',
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      value: OAT,
      expiresAt,
      origin: '~/.claude/.credentials.json',
    });
  });

  it('accepts a credentials file without expiresAt', async () => {
    await writeCredentials(oauthJson(OAT));
    expect(await resolveCredential(input())).toMatchObject({ source: 'credentials-file', expiresAt: null });
  });

  it('reads the Keychain on macOS only, after everything else', async () => {
    const expiresAt = Date.now() + HOUR;
    const readKeychain = async () => `${oauthJson(KEYCHAIN_OAT, expiresAt)}\n`;
    expect(await resolveCredential(input({ platform: 'darwin', readKeychain }))).toEqual({
      source: 'keychain',
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      value: KEYCHAIN_OAT,
      expiresAt,
      origin: 'macOS Keychain item "Claude Code-credentials"',
    });
    expect(await resolveCredential(input({ platform: 'linux', readKeychain }))).toBeNull();
  });

  it('falls through an empty access token in the file to the Keychain', async () => {
    await writeCredentials(oauthJson(''));
    const found = await resolveCredential(input({ platform: 'darwin', readKeychain: async () => oauthJson(KEYCHAIN_OAT) }));
    expect(found?.source).toBe('keychain');
  });

  describe('malformed stores are a CredentialError naming the store, never the token', () => {
    const cases: [string, string, RegExp][] = [
      ['bad JSON', `{"claudeAiOauth":{"accessToken":"${OAT}" oops}}`, /is not valid JSON \(at position \d+/],
      ['bare token instead of JSON', OAT, /is not valid JSON/],
      ['truncated JSON', `{"claudeAiOauth":{"accessToken":"${OAT}"`, /is not valid JSON/],
      ['missing claudeAiOauth', JSON.stringify({ token: OAT }), /has no "claudeAiOauth" object/],
      ['claudeAiOauth not an object', JSON.stringify({ claudeAiOauth: OAT }), /has no "claudeAiOauth" object/],
      ['top level array', JSON.stringify([OAT]), /has no "claudeAiOauth" object/],
      ['missing accessToken', JSON.stringify({ claudeAiOauth: { refreshToken: OAT } }), /"claudeAiOauth.accessToken" string \(found nothing\)/],
      ['accessToken a number', oauthJson(12345), /"claudeAiOauth.accessToken" string \(found a number\)/],
      ['expiresAt a string', oauthJson(OAT, '2030-01-01'), /"claudeAiOauth.expiresAt" that is not a number.*found a string/],
      // new Date(1e20).toISOString() throws "Invalid time value": found here, with the fix.
      ['expiresAt beyond any date', oauthJson(OAT, 1e20), /"claudeAiOauth.expiresAt" of 100000000000000000000, which is no date .*: run `claude` to log in again$/],
    ];
    for (const [name, content, pattern] of cases) {
      it(name, async () => {
        await writeCredentials(content);
        const error = await resolveCredential(input()).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(CredentialError);
        const message = (error as CredentialError).message;
        expect(message).toContain(credentialsPath());
        expect(message).toMatch(pattern);
        expect(message).not.toContain(OAT);
        expect(message).not.toContain('sk-ant');
        expect((error as CredentialError).file).toBe(credentialsPath());
      });
    }

    it('in the Keychain item', async () => {
      const error = await resolveCredential(input({ platform: 'darwin', readKeychain: async () => OAT })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CredentialError);
      expect((error as Error).message).toMatch(/^macOS Keychain item "Claude Code-credentials" is not valid JSON/);
      expect((error as Error).message).not.toContain('sk-ant');
    });

    it('an unreadable .env or credentials file', async () => {
      await mkdir(join(cwd, '.env'));
      await expect(resolveCredential(input())).rejects.toThrow(new CredentialError(join(cwd, '.env'), 'cannot be read (EISDIR)'));
      await rm(join(cwd, '.env'), { recursive: true });
      await mkdir(credentialsPath());
      await expect(resolveCredential(input())).rejects.toThrow(`${credentialsPath()} cannot be read (EISDIR)`);
    });

    it.skipIf(asRoot)('a credentials file without read permission', async () => {
      await writeCredentials(oauthJson(OAT));
      await chmod(credentialsPath(), 0o000);
      await expect(resolveCredential(input())).rejects.toThrow(/credentials\.json cannot be read \(EACCES\)/);
    });
  });

  it('lists where it looks', () => {
    expect(searchedPlaces({ cwd, home, platform: 'darwin' })).toEqual([
      'environment variable CLAUDE_CODE_OAUTH_TOKEN',
      'environment variable ANTHROPIC_API_KEY',
      join(cwd, '.env'),
      '~/.claude/.credentials.json',
      'macOS Keychain item "Claude Code-credentials"',
    ]);
    expect(searchedPlaces({ cwd: home, home, platform: 'linux' })).toEqual([
      'environment variable CLAUDE_CODE_OAUTH_TOKEN',
      'environment variable ANTHROPIC_API_KEY',
      '~/.env',
      '~/.claude/.credentials.json',
    ]);
  });
});

describe('checkExpiry', () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 0);
  const credential = (expiresAt: number | null) => ({ expiresAt, origin: '~/.claude/.credentials.json' });

  it('passes credentials without an expiry', () => {
    expect(checkExpiry(credential(null), { now, marginMs: 10 * HOUR })).toEqual({ ok: true });
  });

  it('passes a token that outlasts the margin', () => {
    expect(checkExpiry(credential(now + 2 * HOUR), { now, marginMs: HOUR })).toEqual({ ok: true });
  });

  it('stops on an expired token with the source, when, and the fix', () => {
    const result = checkExpiry(credential(now - 2 * 24 * HOUR), { now, marginMs: 0 });
    expect(result.ok).toBe(false);
    const message = (result as { message: string }).message;
    expect(message).toContain('~/.claude/.credentials.json');
    expect(message).toContain('expired 2 days ago (2026-01-13T12:00:00.000Z)');
    expect(message).toContain('`claude`');
    expect(message).toContain('`claude setup-token`');
    expect(message).toContain('CLAUDE_CODE_OAUTH_TOKEN');
  });

  it('stops on a token expiring within the margin (the run timeout)', () => {
    const result = checkExpiry(credential(now + 5 * 60_000), { now, marginMs: 10 * 60_000 });
    expect(result.ok).toBe(false);
    expect((result as { message: string }).message).toMatch(/expires in 5m 00s .*within the run's timeout of 10m 00s\. Run `claude`/);
  });

  it('describes time to expiry', () => {
    expect(describeExpiry(null, now)).toBe('no expiry');
    expect(describeExpiry(now + 11 * HOUR + 20 * 60_000, now)).toBe('expires in 11h 20m');
    expect(describeExpiry(now - 2 * 24 * HOUR - HOUR, now)).toBe('expired 2 days ago');
  });
});

describe('maskSecret and redact', () => {
  it('shows at most the first and last 4 characters', () => {
    expect(maskSecret('sk-ant-oat01-abcdefghijklmnop9xQz')).toBe('sk-a…9xQz');
    for (const length of [12, 13, 18, 23, 24, 40, 200]) {
      const secret = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.repeat(10).slice(0, length);
      const masked = maskSecret(secret);
      const revealed = masked.replace('…', '');
      expect(revealed.length).toBeLessThanOrEqual(Math.min(8, length / 3));
      expect(secret.startsWith(masked.split('…')[0]!)).toBe(true);
      expect(secret.endsWith(masked.split('…')[1]!)).toBe(true);
    }
  });

  it('hides short values completely', () => {
    for (const secret of ['', 'a', 'short', 'elevenchars']) expect(maskSecret(secret)).toBe('****');
  });

  it('redacts every occurrence of every secret', () => {
    const token = 'sk-ant-oat01-abcdefghijklmnop9xQz';
    const key = 'sk-ant-api03-zyxwvutsrqponmlk1234';
    const text = `Authorization: Bearer ${token}\nx-api-key: ${key} and again ${token}`;
    const out = redact(text, [token, key, '']);
    expect(out).toBe('Authorization: Bearer sk-a…9xQz\nx-api-key: sk-a…1234 and again sk-a…9xQz');
    expect(out).not.toContain(token);
    expect(out).not.toContain(key);
    expect(redact('no secrets here', [])).toBe('no secrets here');
  });

  it('replaces a secret that contains another one whole', () => {
    const inner = 'abcdefghijklmnop';
    const outer = `${inner}-suffix-0123456789`;
    expect(redact(`value=${outer}`, [inner, outer])).toBe(`value=${maskSecret(outer)}`);
  });
});

describe('redact reads the text as a person would', () => {
  const token = 'sk-ant-oat01-abcdefghijklmnop9xQz';
  const mask = maskSecret(token);
  const readsAs = (text: string) => readableText(text);

  it('masks a token split by colour sequences, keeping the colours around it', () => {
    const line = `\u001b[32mok\u001b[0m token=sk-ant-oat01-abcd\u001b[0m\u001b[1mefghijklmnop9xQz\u001b[0m done`;
    const out = redact(line, [token]);
    expect(readsAs(out)).toBe(`ok token=${mask} done`);
    expect(out.startsWith('\u001b[32mok\u001b[0m token=')).toBe(true);
    // The sequences inside the token stay, so "done" is drawn as before.
    expect(out).toBe(`\u001b[32mok\u001b[0m token=${mask}\u001b[0m\u001b[1m\u001b[0m done`);
  });

  it('masks a token split by zero-width, bidi and control characters', () => {
    for (const hidden of ['\u200b', '\u200d', '\u2060', '\ufeff', '\u202e', '\u2066', '\u0000', '\u0008', '\r', '\u001b]0;x\u0007']) {
      const out = redact(`Bearer sk-ant-oat01${hidden}-abcdefghijklmnop9xQz!`, [token]);
      expect(readsAs(out), JSON.stringify(hidden)).toBe(`Bearer ${mask}!`);
    }
    // Several splits in one token.
    expect(readsAs(redact(`${[...token].join('\u200b')}`, [token]))).toBe(mask);
  });

  it('masks the URL-encoded token, in either hex case and partly encoded', () => {
    const secret = 'sk-ant-api03-a+b/c=d~e f';
    const forms = [
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
      'sk%2Dant-api03-a%2Bb/c%3dd~e+f',
    ];
    for (const form of forms) {
      const out = redact(`GET /v1?key=${form}&x=1`, [secret]);
      expect(out, form).toBe(`GET /v1?key=${maskSecret(secret)}&x=1`);
    }
  });

  it('masks the base64 token at all three alignments, standard and URL-safe', () => {
    const secret = 'sk-ant-api03-~~~>>>???-abcdefghijklmnop';
    for (const prefix of ['', 'x', 'xy', 'user:', 'Authorization: Bearer ']) {
      const plain = `${prefix}${secret}-tail`;
      for (const encoded of [Buffer.from(plain).toString('base64'), Buffer.from(plain).toString('base64url')]) {
        const out = redact(`data: ${encoded}`, [secret]);
        expect(out, `${prefix}|${encoded}`).toContain(maskSecret(secret));
        // What is left of the encoded text no longer decodes to anything like the secret.
        const left = Buffer.from(out.replace(/^data: /, '').replace(maskSecret(secret), ''), 'base64').toString('latin1');
        expect(left).not.toContain('abcdefgh');
        expect(left).not.toContain('api03');
      }
    }
  });

  it('leaves short secrets out of the base64 matching, so ordinary base64 survives', () => {
    expect(redact('aGVsbG8gd29ybGQ=', ['abc'])).toBe('aGVsbG8gd29ybGQ=');
  });

  it('masks each long line of a multi-line secret', () => {
    const headers = 'X-Gateway-Key: gw-0123456789abcdef\nX-Team: platform';
    expect(redact('sent X-Gateway-Key: gw-0123456789abcdef', [headers])).not.toContain('0123456789abcdef');
  });
});

describe('forwarded variables', () => {
  it('picks the set ones, never a host path, and lists the secrets to mask or keep out of a sandbox', () => {
    const env = {
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080',
      ANTHROPIC_AUTH_TOKEN: 'gateway-token',
      HTTPS_PROXY: '',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/corp.pem',
      CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-x',
      PATH: '/usr/bin',
    };
    expect(forwardedEnv(env)).toEqual({ ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080', ANTHROPIC_AUTH_TOKEN: 'gateway-token' });
    expect(secretValues(env)).toEqual(['sk-ant-oat01-x', 'gateway-token']);
    expect(withoutSecrets(forwardedEnv(env))).toEqual({ ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' });
  });

  it('keeps the lists consistent', () => {
    expect(FORWARDED_VARIABLES).not.toContain('NODE_EXTRA_CA_CERTS');
    // The credential itself travels separately, as the resolved variable.
    expect(FORWARDED_VARIABLES).not.toContain('CLAUDE_CODE_OAUTH_TOKEN');
    expect(FORWARDED_VARIABLES).not.toContain('ANTHROPIC_API_KEY');
    for (const name of SECRET_VARIABLES.filter((n) => !n.startsWith('CLAUDE_CODE_OAUTH') && n !== 'ANTHROPIC_API_KEY')) {
      expect(FORWARDED_VARIABLES).toContain(name);
    }
  });
});
