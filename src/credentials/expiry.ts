import { formatDuration } from '../domain/duration.js';
import type { ResolvedCredential } from './resolve.js';

export const EXPIRY_FIX =
  'Run `claude` to log in again, or create a long-lived token with `claude setup-token` and set CLAUDE_CODE_OAUTH_TOKEN.';

/**
 * Whether a credential lasts the whole run: expired, or expiring within `marginMs` (the run's
 * timeout), is not ok, with a message saying which source, when, and the fix.
 */
export function checkExpiry(
  credential: Pick<ResolvedCredential, 'expiresAt' | 'origin'>,
  options: { now: number; marginMs: number },
): { ok: true } | { ok: false; message: string } {
  const { expiresAt, origin } = credential;
  if (expiresAt === null) return { ok: true };
  const at = new Date(expiresAt).toISOString();
  if (expiresAt <= options.now) {
    return { ok: false, message: `The token from ${origin} ${describeExpiry(expiresAt, options.now)} (${at}). ${EXPIRY_FIX}` };
  }
  if (expiresAt <= options.now + options.marginMs) {
    return {
      ok: false,
      message:
        `The token from ${origin} ${describeExpiry(expiresAt, options.now)} (${at}), ` +
        `within the run's timeout of ${formatDuration(options.marginMs)}. ${EXPIRY_FIX}`,
    };
  }
  return { ok: true };
}

/** "expires in 11h 20m", "expired 2 days ago" or "no expiry". */
export function describeExpiry(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'no expiry';
  const left = expiresAt - now;
  return left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(-left)} ago`;
}
