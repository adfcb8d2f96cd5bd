/**
 * Documented Claude Code variables cc-iso passes into every isolation when they are set on the
 * host (gateways, model choice, Bedrock/Vertex, proxies, retries, traffic switches).
 * NODE_EXTRA_CA_CERTS is not here: its value is a path on the host, which does not exist inside
 * a container (the image carries its own CA bundle); the host mode inherits it anyway.
 */
export const FORWARDED_VARIABLES: readonly string[] = [
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_MODEL',
  'ANTHROPIC_SMALL_FAST_MODEL',
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  'ANTHROPIC_CUSTOM_HEADERS',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'AWS_REGION',
  'AWS_PROFILE',
  'AWS_BEARER_TOKEN_BEDROCK',
  'ANTHROPIC_VERTEX_PROJECT_ID',
  'CLOUD_ML_REGION',
  'CLAUDE_CODE_SKIP_BEDROCK_AUTH',
  'CLAUDE_CODE_SKIP_VERTEX_AUTH',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'CLAUDE_CODE_MAX_RETRIES',
  'DISABLE_TELEMETRY',
  'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC',
];

/** Variables whose values are secrets: masked in any output, never placed in an argument list. */
export const SECRET_VARIABLES: readonly string[] = [
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
  'ANTHROPIC_CUSTOM_HEADERS',
];

/** The forwarded variables that are set (non-empty) in `env`. */
export function forwardedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of FORWARDED_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}

/** The values of every secret variable set in `env`: what output and files must never show. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return SECRET_VARIABLES.map((name) => env[name] ?? '').filter((value) => value.trim() !== '');
}

/** Forwarded variables minus the secret ones: for an isolation whose proxy holds the credentials. */
export function withoutSecrets(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_VARIABLES.includes(name)));
}
