import { readFile } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { parseEnv } from 'node:util';
import type { AuthSource } from '../domain/results.js';

export type CredentialVariable = 'CLAUDE_CODE_OAUTH_TOKEN' | 'ANTHROPIC_API_KEY';
export type CredentialSource = Exclude<AuthSource, 'sandbox-proxy' | 'cc-iso-proxy' | 'none'>;

export interface ResolvedCredential {
  source: CredentialSource;
  /** The variable the value must be passed as inside an isolation. */
  variable: CredentialVariable;
  value: string;
  /** Epoch ms; null when the source carries no expiry (env tokens, API keys). */
  expiresAt: number | null;
  /** Where it came from, for people: "~/.claude/.credentials.json". */
  origin: string;
}

export interface ResolveInput {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
  platform: NodeJS.Platform;
  /** The Keychain item's secret, or null when there is none; injectable for tests. */
  readKeychain?: () => Promise<string | null>;
}

/** A credential store that exists but cannot be used. The message names it, never its content. */
export class CredentialError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file} ${problem}`);
    this.name = 'CredentialError';
  }
}

const MAX_DATE_MS = 8.64e15;

export const KEYCHAIN_SERVICE = 'Claude Code-credentials';
const KEYCHAIN_ORIGIN = `macOS Keychain item "${KEYCHAIN_SERVICE}"`;
// Order within a .env as in the environment: the subscription token first.
const VARIABLES: readonly CredentialVariable[] = ['CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_API_KEY'];

/** The places resolveCredential looks, in order, as shown to people when nothing is found. */
export function searchedPlaces(input: Pick<ResolveInput, 'cwd' | 'home' | 'platform'>): string[] {
  const places = [
    ...VARIABLES.map((name) => `environment variable ${name}`),
    display(join(input.cwd, '.env'), input.home),
    display(credentialsFile(input.home), input.home),
  ];
  if (input.platform === 'darwin') places.push(KEYCHAIN_ORIGIN);
  return places;
}

/**
 * Finds the credential Claude Code should run with, in the README's order: the two environment
 * variables, a .env in cwd, the credentials file, then (macOS) the Keychain. Null when none is set.
 */
export async function resolveCredential(input: ResolveInput): Promise<ResolvedCredential | null> {
  for (const variable of VARIABLES) {
    const value = input.env[variable]?.trim();
    if (value) {
      return { source: `env:${variable}`, variable, value, expiresAt: null, origin: `environment variable ${variable}` };
    }
  }
  const fromDotenv = await readDotenv(join(input.cwd, '.env'), input.home);
  if (fromDotenv) return fromDotenv;

  const file = credentialsFile(input.home);
  const text = await readOptional(file);
  if (text !== null) {
    const token = parseOauthJson(text, file);
    if (token) return { source: 'credentials-file', variable: 'CLAUDE_CODE_OAUTH_TOKEN', ...token, origin: display(file, input.home) };
  }

  if (input.platform === 'darwin') {
    const secret = await (input.readKeychain ?? readKeychain)();
    if (secret?.trim()) {
      const token = parseOauthJson(secret, KEYCHAIN_ORIGIN);
      if (token) return { source: 'keychain', variable: 'CLAUDE_CODE_OAUTH_TOKEN', ...token, origin: KEYCHAIN_ORIGIN };
    }
  }
  return null;
}

/** Reads the Keychain item with `security`; null when it is missing, access is denied or `security` fails. */
export async function readKeychain(): Promise<string | null> {
  // Loaded here, on macOS only: loading execa costs more than everything else `cc-iso run` adds.
  const { execa } = await import('execa');
  const result = await execa('security', ['find-generic-password', '-s', KEYCHAIN_SERVICE, '-w'], {
    reject: false,
    stdin: 'ignore',
    // macOS may ask the user to allow access; do not wait for ever.
    timeout: 60_000,
  });
  return result.exitCode === 0 && typeof result.stdout === 'string' && result.stdout.trim() ? result.stdout.trim() : null;
}

function credentialsFile(home: string): string {
  return join(home, '.claude', '.credentials.json');
}

async function readDotenv(file: string, home: string): Promise<ResolvedCredential | null> {
  const text = await readOptional(file);
  if (text === null) return null;
  const parsed = parseEnv(text);
  for (const variable of VARIABLES) {
    const value = parsed[variable]?.trim();
    if (value) return { source: 'dotenv', variable, value, expiresAt: null, origin: display(file, home) };
  }
  return null;
}

/** The file's text, or null when it does not exist; any other failure names the file and the reason. */
async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new CredentialError(file, `cannot be read (${code ?? 'unknown error'})`);
  }
}

/**
 * The `claudeAiOauth` token in the credentials JSON (file or Keychain), or null when the token is
 * empty. Every field it holds is an OAuth access token, so it is passed as CLAUDE_CODE_OAUTH_TOKEN.
 */
function parseOauthJson(text: string, where: string): { value: string; expiresAt: number | null } | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the input in some messages; keep only the position.
    const position = /at position \d+(?: \(line \d+ column \d+\))?/.exec(String((error as Error).message))?.[0];
    throw new CredentialError(where, `is not valid JSON${position ? ` (${position})` : ''}`);
  }
  const oauth = isObject(data) ? data['claudeAiOauth'] : undefined;
  if (!isObject(oauth)) throw new CredentialError(where, 'has no "claudeAiOauth" object');
  const token = oauth['accessToken'];
  if (typeof token !== 'string') {
    throw new CredentialError(where, `has no "claudeAiOauth.accessToken" string (found ${kind(token)})`);
  }
  const expiresAt = oauth['expiresAt'];
  if (expiresAt !== undefined && expiresAt !== null && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
    throw new CredentialError(where, `has a "claudeAiOauth.expiresAt" that is not a number of epoch milliseconds (found ${kind(expiresAt)})`);
  }
  // A Date holds ±8.64e15 ms; past that every message about the expiry would fail to print.
  if (typeof expiresAt === 'number' && Math.abs(expiresAt) > MAX_DATE_MS) {
    throw new CredentialError(
      where,
      `has a "claudeAiOauth.expiresAt" of ${expiresAt}, which is no date (epoch milliseconds stop at ${MAX_DATE_MS}): run \`claude\` to log in again`,
    );
  }
  const value = token.trim();
  return value ? { value, expiresAt: expiresAt ?? null } : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, never the value itself. */
function kind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A path under home as ~/…, for messages. */
function display(file: string, home: string): string {
  const rel = relative(home, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `~/${rel}` : file;
}
