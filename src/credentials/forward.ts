/**
 * Documented Claude Code variables cc-iso passes into every isolation when they are set on the
 * host (gateways, model choice, Bedrock/Vertex, proxies, retries, traffic switches).
 * NODE_EXTRA_CA_CERTS is not here: its value is a path on the host, which does not exist inside
 * a container (the image carries its own CA bundle) — see HOST_ONLY_VARIABLES.
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

/** Variables that only make sense on the host itself (their values are host paths). */
export const HOST_ONLY_VARIABLES: readonly string[] = ['NODE_EXTRA_CA_CERTS'];

/** Variables whose values are secrets: masked in any output, never placed in an argument list. */
export const SECRET_VARIABLES: readonly string[] = [
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
  'ANTHROPIC_CUSTOM_HEADERS',
];

/**
 * The forwarded variables that are set (non-empty) in `env`; `includeHostOnly` adds
 * HOST_ONLY_VARIABLES, for the `host` mode.
 */
export function forwardedEnv(
  env: NodeJS.ProcessEnv,
  options: { includeHostOnly?: boolean } = {},
): Record<string, string> {
  const names = options.includeHostOnly ? [...FORWARDED_VARIABLES, ...HOST_ONLY_VARIABLES] : FORWARDED_VARIABLES;
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}
