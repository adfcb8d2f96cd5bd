import { UsageError, type CredentialPath } from '../config/options.js';
import { withoutSecrets } from '../credentials/forward.js';
import { ANTHROPIC_API, createCredentialProxy, type CredentialProxy } from '../credentials/proxy-forwarder.js';
import type { ResolvedCredential } from '../credentials/resolve.js';
import type { AuthSource } from '../domain/results.js';
import type { Isolation } from '../runtimes/types.js';

/** How one run's isolation gets the credential, and what the record says about it. */
export interface CredentialRoute {
  /** The credential variables set inside (the token, a placeholder, or none). */
  credentialEnv: Record<string, string>;
  /** The forwarded Claude Code settings set inside. */
  forwardedEnv: Record<string, string>;
  authSource: AuthSource | null;
  /** For the record's evidence, when the route is worth explaining. */
  note: string | null;
}

export interface RouteInputs {
  credential: { env: Record<string, string>; source: AuthSource } | null;
  forwardedEnv: Record<string, string>;
  credentialProxy: CredentialProxy | null;
}

/**
 * - an isolation with its own proxy (a sandbox) gets no secret at all, forwarded or resolved;
 * - with `--credential-path proxy`, an isolation that can reach the host (a container) gets a
 *   placeholder and cc-iso's forwarder as its ANTHROPIC_BASE_URL, and no secret;
 * - otherwise (host, `--credential-path env`) the token travels in the environment.
 */
export async function routeCredential(isolation: Isolation, inputs: RouteInputs): Promise<CredentialRoute> {
  if (isolation.credentialPath === 'proxy') {
    return { credentialEnv: {}, forwardedEnv: withoutSecrets(inputs.forwardedEnv), authSource: 'sandbox-proxy', note: null };
  }
  const proxy = inputs.credentialProxy;
  if (proxy && inputs.credential && isolation.hostAddress) {
    const address = await isolation.hostAddress();
    const port = await proxy.listen({ host: address.listen, allowFrom: address.allowFrom });
    const baseUrl = `http://${address.inside}:${port}`;
    const [variable] = Object.keys(proxy.placeholderEnv);
    return {
      credentialEnv: proxy.placeholderEnv,
      forwardedEnv: { ...withoutSecrets(inputs.forwardedEnv), ANTHROPIC_BASE_URL: baseUrl, ...direct(inputs.forwardedEnv, address.inside) },
      authSource: 'cc-iso-proxy',
      note:
        `a placeholder ${variable} and ANTHROPIC_BASE_URL ${baseUrl}, where cc-iso's forwarder ` +
        `(listening on ${address.listen}) adds the ${inputs.credential.source} credential`,
    };
  }
  return {
    credentialEnv: inputs.credential?.env ?? {},
    forwardedEnv: inputs.forwardedEnv,
    authSource: inputs.credential?.source ?? null,
    note: null,
  };
}

/** The forwarder is reached directly, never through an HTTP proxy forwarded from the host. */
function direct(env: Record<string, string>, host: string): Record<string, string> {
  if (!env.HTTP_PROXY && !env.HTTPS_PROXY) return {};
  return { NO_PROXY: env.NO_PROXY ? `${env.NO_PROXY},${host}` : host };
}

/**
 * The session's forwarder for `--credential-path proxy` (not listening until a run needs it), or
 * null when the token travels in the environment or there is none to forward.
 */
export function credentialProxyFor(
  path: CredentialPath,
  credential: ResolvedCredential | null,
  hostEnv: NodeJS.ProcessEnv,
): CredentialProxy | null {
  if (path !== 'proxy' || !credential) return null;
  // The forwarder speaks the Anthropic API; a cloud provider's own auth would not pass through it.
  const cloud = ['CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX'].find((name) => hostEnv[name] && hostEnv[name] !== '0');
  if (cloud) throw new UsageError(`--credential-path proxy forwards the Anthropic API only, not ${cloud}; use --credential-path env`);
  const upstream = hostEnv.ANTHROPIC_BASE_URL || ANTHROPIC_API;
  if (!/^https?:$/.test(URL.parse(upstream)?.protocol ?? '')) {
    throw new UsageError('ANTHROPIC_BASE_URL is not an http(s) URL, so the credential forwarder has nowhere to send requests');
  }
  return createCredentialProxy({
    upstream,
    credential: { variable: credential.variable, value: credential.value },
  });
}
