/**
 * The policy cc-iso hands Anthropic's sandbox runtime (`srt -s <file>`) for one run, and the words
 * that record it next to what the probe observed. Pure: the adapter writes the file.
 */

export const DEFAULT_API_URL = 'https://api.anthropic.com';
export const DEFAULT_REGISTRY_URL = 'https://registry.npmjs.org/';

export interface PolicyInputs {
  /** The host folder shared with the run: the only place of the user's that is writable. */
  workspace: string;
  /** The run's own scratch folders (TMPDIR, Claude's state), also writable. */
  scratch: string[];
  /** ANTHROPIC_BASE_URL when set; else the public API. */
  apiUrl: string | undefined;
  registryUrl: string;
}

export interface SrtPolicy {
  allowedDomains: string[];
  allowWrite: string[];
  /**
   * The API is on the host's loopback (a gateway, a mock). srt lists loopback in the sandbox's
   * NO_PROXY, and the sandbox has its own network namespace, so the inner command must empty
   * NO_PROXY/no_proxy for the request to go through srt's proxy to the allow-listed address.
   */
  loopbackApi: boolean;
}

/** The settings file srt reads: write access and network allow-list, nothing else allowed. */
export interface SrtSettings {
  network: { allowedDomains: string[]; deniedDomains: string[] };
  filesystem: { denyRead: string[]; allowWrite: string[]; denyWrite: string[] };
}

export function srtPolicy(inputs: PolicyInputs): SrtPolicy {
  const api = allowEntries(inputs.apiUrl ?? DEFAULT_API_URL);
  const registry = allowEntries(inputs.registryUrl);
  return {
    allowedDomains: [...new Set([...api.entries, ...registry.entries])],
    allowWrite: [inputs.workspace, ...inputs.scratch],
    loopbackApi: api.loopback,
  };
}

export function srtSettings(policy: SrtPolicy): SrtSettings {
  return {
    network: { allowedDomains: policy.allowedDomains, deniedDomains: [] },
    filesystem: { denyRead: [], allowWrite: policy.allowWrite, denyWrite: [] },
  };
}

/** One line for the run's evidence: what srt was told to allow; srt's own defaults are named too. */
export function describePolicy(policy: SrtPolicy, srtDefaults: string[]): string {
  return (
    `srt policy: network only to ${policy.allowedDomains.join(', ')} (any other host gets 403 from srt's proxy); ` +
    `writable only ${policy.allowWrite.join(', ')}` +
    (srtDefaults.length > 0 ? ` and srt's defaults ${srtDefaults.join(', ')}` : '') +
    (policy.loopbackApi ? '; NO_PROXY emptied inside so the loopback API goes through the proxy' : '')
  );
}

/**
 * srt's allow-list entries for a URL. A hostname is matched by name on any port; a loopback
 * address must be an IP literal with its port (srt refuses names that resolve to loopback unless
 * that literal is listed).
 */
export function allowEntries(url: string): { entries: string[]; loopback: boolean } {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = parsed.port || (parsed.protocol === 'http:' ? '80' : '443');
  if (host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.')) {
    const literal = host.startsWith('127.') ? host : '127.0.0.1';
    return { entries: [...new Set([`${host}:${port}`, `${literal}:${port}`])], loopback: true };
  }
  if (host === '::1') return { entries: [`[::1]:${port}`], loopback: true };
  return { entries: [host.includes(':') ? `[${host}]` : host], loopback: false };
}
