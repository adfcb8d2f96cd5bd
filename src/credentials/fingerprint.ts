import { createHash } from 'node:crypto';

/**
 * The short, non-reversible fingerprint the probe prints for a credential it sees inside
 * (the first 12 hex digits of SHA-256, as `sha256sum | cut -c1-12`): equal fingerprints mean
 * the real token is inside, a different one means a placeholder.
 */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}
