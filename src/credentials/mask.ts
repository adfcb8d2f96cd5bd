/** Shorter values are hidden completely: a few visible characters would give most of them away. */
const MIN_MASKED_LENGTH = 12;

/**
 * A recognisable but useless form of a secret: at most its first and last 4 characters, and
 * never more than a third of it, e.g. `sk-a…9xQz`.
 */
export function maskSecret(value: string): string {
  if (value.length < MIN_MASKED_LENGTH) return '****';
  const shown = Math.min(4, Math.floor(value.length / 6));
  return `${value.slice(0, shown)}…${value.slice(-shown)}`;
}

/** Replaces every occurrence of each secret in a text (output lines, error messages) with its mask. */
export function redact(text: string, secrets: readonly string[]): string {
  // Longest first, so a secret that contains another is replaced whole.
  const unique = [...new Set(secrets.filter((secret) => secret.length > 0))].sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of unique) result = result.replaceAll(secret, maskSecret(secret));
  return result;
}
