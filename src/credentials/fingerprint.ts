import { randomHex } from '../domain/random.js';

/** A fresh key per session: 32 random bytes as 64 hex digits. Never written to results or logs. */
export function newFingerprintKey(): string {
  return randomHex(32);
}

/**
 * The short fingerprint the probe prints for a credential it sees inside: the first 12 hex digits
 * of SHA-256 over the session's key followed by the value (`printf '%s%s' "$key" "$value" |
 * sha256sum | cut -c1-12` in assets/probe.sh, which also works with `shasum -a 256` and
 * `openssl dgst -sha256`). Equal fingerprints mean the real token is inside, a different one a
 * placeholder. Keyed, because the fingerprints leave the isolation in the results: without the
 * key, a short value's plain SHA-256 prefix is looked up at once; with a 256-bit secret prefix it
 * cannot be searched. A secret-prefix hash rather than HMAC, because busybox has no HMAC tool;
 * SHA-256's length extension does not matter here (nobody needs to forge a fingerprint).
 */
export function fingerprint(value: string, key: string): string {
  // Loaded here, not up front: a session without a credential never needs node:crypto.
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(key + value).digest('hex').slice(0, 12);
}
