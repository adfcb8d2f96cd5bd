import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { randomHex } from '../../src/domain/random.js';
import { rememberedDigest } from '../../src/runtimes/digest-memo.js';
import { planImage } from '../../src/runtimes/image.js';
import { hostTag } from '../../src/runtimes/ownership.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const cache = () => ({ XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'cc-iso-cache-')) });

describe('remembered digests', () => {
  it('hashes a key once and answers it from the memo afterwards', () => {
    const env = cache();
    let read = 0;
    const text = () => (read++, 'the text');
    expect(rememberedDigest('k', text, env)).toBe(sha256('the text'));
    expect(rememberedDigest('k', text, env)).toBe(sha256('the text'));
    expect(read).toBe(1);
    expect(rememberedDigest('other', () => 'another text', env)).toBe(sha256('another text'));
  });

  it('hashes again when the memo holds no digest for the key, and keeps the newest 32 keys', () => {
    const env = cache();
    const file = join(env.XDG_CACHE_HOME, 'cc-iso', 'digests.json');
    rememberedDigest('k', () => 'x', env);
    writeFileSync(file, JSON.stringify({ k: 'not a digest' }));
    expect(rememberedDigest('k', () => 'x', env)).toBe(sha256('x'));
    for (let i = 0; i < 40; i++) rememberedDigest(`key ${i}`, () => String(i), env);
    const kept = Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object);
    expect(kept).toHaveLength(32);
    expect(kept.at(-1)).toBe('key 39');
  });
});

describe('the image tag', () => {
  const dockerfile = readFileSync(fileURLToPath(new URL('../../Dockerfile', import.meta.url)), 'utf8');
  const inputs = { baseImage: 'cc-iso-base:bookworm-node24', claudeVersion: '2.1.332' };
  const expected = (certificates: string) =>
    `cc-iso-agent:${sha256(JSON.stringify([dockerfile, certificates, ['--build-arg', `BASE_IMAGE=${inputs.baseImage}`, '--build-arg', `CLAUDE_CODE_VERSION=${inputs.claudeVersion}`]])).slice(0, 12)}`;

  it('is the hash of the Dockerfile, the extra CA certificates and the build arguments, from the memo too', () => {
    const certificates = join(mkdtempSync(join(tmpdir(), 'cc-iso-ca-')), 'extra.crt');
    writeFileSync(certificates, '-----BEGIN CERTIFICATE-----\none\n-----END CERTIFICATE-----\n');
    const env = { ...cache(), NODE_EXTRA_CA_CERTS: certificates };
    expect(planImage(inputs, env).tag).toBe(expected(readFileSync(certificates, 'utf8')));
    expect(planImage(inputs, env).tag).toBe(expected(readFileSync(certificates, 'utf8')));
    // Other certificates: another recipe, another tag, though the memo held the old one.
    writeFileSync(certificates, '-----BEGIN CERTIFICATE-----\ntwo\n-----END CERTIFICATE-----\n');
    utimesSync(certificates, new Date(), new Date(Date.now() + 5000));
    expect(planImage(inputs, env).tag).toBe(expected(readFileSync(certificates, 'utf8')));
    expect(planImage({ ...inputs, claudeVersion: '2.1.333' }, env).tag).not.toBe(planImage(inputs, env).tag);
    expect(planImage(inputs, cache()).tag).toBe(expected(''));
  });
});

describe('ids and keys', () => {
  it('are fresh random hex of the length asked', () => {
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
    expect(randomHex(32)).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(Array.from({ length: 50 }, () => randomHex(8))).size).toBe(50);
  });

  it('tag this host by the first 8 hex digits of SHA-256 over its name, as containers made before record it', () => {
    expect(hostTag()).toBe(sha256(hostname()).slice(0, 8));
    expect(hostTag()).toBe(sha256(hostname()).slice(0, 8));
  });
});
