import { homedir } from 'node:os';
import { checkExpiry, describeExpiry } from '../credentials/expiry.js';
import { maskSecret } from '../credentials/mask.js';
import type { ResolveInput } from '../credentials/resolve.js';
import { CredentialError, resolveCredential, searchedPlaces } from '../credentials/resolve.js';

interface Writer {
  write(text: string): unknown;
}

/** Everything `cc-iso token` reads, injectable for tests; defaults to this process. */
export interface TokenCommandInput extends Partial<ResolveInput> {
  now?: number;
  stdout?: Writer;
  stderr?: Writer;
}

/** `cc-iso token`: where the credential comes from, masked, and how long it lasts. 0 when usable. */
export async function tokenCommand(input: TokenCommandInput = {}): Promise<number> {
  const resolveInput: ResolveInput = {
    env: input.env ?? process.env,
    cwd: input.cwd ?? process.cwd(),
    home: input.home ?? homedir(),
    platform: input.platform ?? process.platform,
    ...(input.readKeychain ? { readKeychain: input.readKeychain } : {}),
  };
  const stdout = input.stdout ?? process.stdout;
  const stderr = input.stderr ?? process.stderr;
  const now = input.now ?? Date.now();

  let credential;
  try {
    credential = await resolveCredential(resolveInput);
  } catch (error) {
    if (!(error instanceof CredentialError)) throw error;
    stderr.write(`${error.message}\n`);
    return 1;
  }
  if (!credential) {
    stderr.write(
      [
        'No Claude credential found. Looked at:',
        ...searchedPlaces(resolveInput).map((place) => `  - ${place}`),
        'Create one: run `claude setup-token` and set CLAUDE_CODE_OAUTH_TOKEN to the token it prints',
        '(in the environment or a .env in this folder), or set ANTHROPIC_API_KEY.',
        '',
      ].join('\n'),
    );
    return 1;
  }
  const expiry = credential.expiresAt === null
    ? 'no expiry'
    : `${describeExpiry(credential.expiresAt, now)} (${new Date(credential.expiresAt).toISOString()})`;
  stdout.write(
    [
      `source:    ${credential.origin}`,
      `passed as: ${credential.variable}`,
      `value:     ${maskSecret(credential.value)}`,
      `expiry:    ${expiry}`,
      '',
    ].join('\n'),
  );
  const check = checkExpiry(credential, { now, marginMs: 0 });
  if (!check.ok) {
    stderr.write(`${check.message}\n`);
    return 1;
  }
  return 0;
}
