import { coloursIn, readableMap, readableText } from '../domain/sanitize.js';

/** Shorter values are hidden completely: a few visible characters would give most of them away. */
const MIN_MASKED_LENGTH = 12;
/**
 * Shortest base64 piece of a secret that is masked: shorter ones (from secrets under ~12 bytes)
 * would match ordinary base64 by chance, and carry too little of the secret to matter.
 */
const MIN_ENCODED_LENGTH = 16;

/**
 * A recognisable but useless form of a secret: at most its first and last 4 characters, and
 * never more than a third of it, e.g. `sk-a…9xQz`.
 */
export function maskSecret(value: string): string {
  if (value.length < MIN_MASKED_LENGTH) return '****';
  const shown = Math.min(4, Math.floor(value.length / 6));
  return `${value.slice(0, shown)}…${value.slice(-shown)}`;
}

interface SecretPattern {
  /** Every form of one secret: as is, URL-encoded (any character may be), base64 at each alignment. */
  forms: RegExp;
  /** Forms without encoding, found with a plain search: most lines hold none and no `%`, so skip the RegExp. */
  literals: string[];
  mask: string;
}

/**
 * Replaces every occurrence of each secret in a text (output lines, error messages) with its mask,
 * as a person would read the text: also where colour sequences, controls or invisible characters
 * split it, and in its URL-encoded and base64 forms. Colours of the rest of the line are kept
 * where the secret's place in the line is clear; otherwise the line comes back as plain text.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const pattern of patternsFor(secrets)) result = redactOne(result, pattern);
  return result;
}

function redactOne(text: string, pattern: SecretPattern): string {
  const { forms, mask } = pattern;
  const direct = mayHold(text, pattern) ? text.replace(forms, () => mask) : text;
  const read = readableText(direct);
  if (read === direct || !mayHold(read, pattern) || !matches(forms, read)) return direct;
  // Found only once the hidden parts are gone: replace that stretch of the line, keeping the
  // colour sequences inside it so the colours after it stay as they were.
  const readable = readableMap(direct);
  const at = readable.at;
  let rebuilt = '';
  let from = 0;
  for (const match of readable.text.matchAll(forms)) {
    const start = at[match.index]!;
    const end = at[match.index + match[0].length - 1]! + 1;
    rebuilt += direct.slice(from, start) + mask + coloursIn(direct.slice(start, end));
    from = end;
  }
  rebuilt += direct.slice(from);
  // Safety first: should the rebuilt line still read as the secret, show the plain text instead.
  return matches(forms, readableText(rebuilt)) ? readable.text.replace(forms, () => mask) : rebuilt;
}

/** False only when the text cannot hold any form of the secret (an encoded one needs a `%`, or a `+` for a space). */
function mayHold(text: string, { literals }: SecretPattern): boolean {
  return text.includes('%') || literals.some((literal) => text.includes(literal));
}

function matches(forms: RegExp, text: string): boolean {
  forms.lastIndex = 0;
  const found = forms.test(text);
  forms.lastIndex = 0;
  return found;
}

let cached: { key: string; patterns: SecretPattern[] } | null = null;

/** A session masks with the same few secrets on every line: build their patterns once. */
function patternsFor(secrets: readonly string[]): SecretPattern[] {
  const key = secrets.join('\u0000');
  if (cached?.key === key) return cached.patterns;
  // A multi-line secret (ANTHROPIC_CUSTOM_HEADERS) is printed line by line: mask each long line too.
  const pieces = secrets.flatMap((secret) => [
    secret,
    ...secret.split(/\r?\n/).filter((line) => line !== secret && line.trim().length >= MIN_MASKED_LENGTH),
  ]);
  // Longest first, so a secret that contains another is replaced whole.
  const unique = [...new Set(pieces.filter((secret) => secret.length > 0))].sort((a, b) => b.length - a.length);
  const patterns = unique.map((secret) => {
    const pieces = base64Pieces(secret);
    return {
      forms: new RegExp([urlEncodable(secret), ...pieces.map(escapeRegExp)].join('|'), 'g'),
      // `+` stands for a space in form encoding: such a secret may appear without its literal form or a `%`.
      literals: [secret, ...(secret.includes(' ') ? ['+'] : []), ...pieces],
      mask: maskSecret(secret),
    };
  });
  cached = { key, patterns };
  return patterns;
}

/** The secret with each character either as is or percent-encoded (either hex case; space also `+`). */
function urlEncodable(secret: string): string {
  return [...secret]
    .map((char) => {
      const encoded = [...Buffer.from(char, 'utf8')]
        .map((byte) => `%${[...byte.toString(16).padStart(2, '0')].map(hexDigit).join('')}`)
        .join('');
      return `(?:${escapeRegExp(char)}|${encoded}${char === ' ' ? '|\\+' : ''})`;
    })
    .join('');
}

function hexDigit(digit: string): string {
  return /[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit;
}

/**
 * The base64 (and base64url) characters that depend on the secret alone, for the secret starting
 * at each of the three byte offsets inside a larger encoded text (`Authorization: Basic …`,
 * a base64-encoded config): a base64 character covers 6 bits, so which characters are the
 * secret's own depends on where it starts modulo 3.
 */
function base64Pieces(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const pieces: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const piece = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (piece.length < MIN_ENCODED_LENGTH) continue;
    pieces.push(piece);
    const urlSafe = piece.replaceAll('+', '-').replaceAll('/', '_');
    if (urlSafe !== piece) pieces.push(urlSafe);
  }
  return pieces;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
