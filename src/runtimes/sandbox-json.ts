/**
 * Readers for what `sbx` and `docker sandbox` print. Their formats changed between releases, so
 * every reader accepts each shape seen so far.
 */

export interface SandboxEntry {
  name: string;
  /** "running", "stopped"…; null when the CLI did not say. */
  status: string | null;
}

/**
 * The JSON value in a command's output, skipping lines printed before it (a daemon that starts on
 * demand announces itself on stdout first). Undefined when there is none.
 */
export function jsonAfterNoise(text: string): unknown {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const start = lines[index]!.trimStart();
    if (!start.startsWith('{') && !start.startsWith('[')) continue;
    try {
      return JSON.parse(lines.slice(index).join('\n'));
    } catch {
      // A line that only looks like JSON; keep looking.
    }
  }
  return undefined;
}

/** `ls --json`: a bare array (sbx < 0.38), `{"sandboxes":[…]}` (sbx ≥ 0.38), `{"vms":[…]}` (plugin). Null when unreadable. */
export function parseSandboxList(text: string): SandboxEntry[] | null {
  const value = jsonAfterNoise(text);
  const list = Array.isArray(value) ? value : isObject(value) ? ('vms' in value ? value.vms : value.sandboxes) : undefined;
  if (list === null) return [];
  if (!Array.isArray(list)) return null;
  return list.filter(isObject).flatMap((item) => {
    if (typeof item.name !== 'string') return [];
    const status = item.status ?? item.state;
    return [{ name: item.name, status: typeof status === 'string' ? status : null }];
  });
}

export interface SbxVersion {
  version: string;
  /** The daemon's state from `version --json` ("running", "unavailable"); null from the plain form. */
  daemon: string | null;
}

/** `sbx version --json` (sbx ≥ 0.42): `{"client":{"version":"v0.45.1"},"server":{…,"state":"running"}}`. */
export function parseSbxVersionJson(text: string): SbxVersion | null {
  const value = jsonAfterNoise(text);
  if (!isObject(value) || !isObject(value.client)) return null;
  const version = firstSemver(String(value.client.version ?? ''));
  if (!version) return null;
  const state = isObject(value.server) ? value.server.state : undefined;
  return { version, daemon: typeof state === 'string' ? state : null };
}

/**
 * The first x.y.z in a version text, without the "v": `sbx version v0.45.1 <sha>`,
 * `Client Version: v0.25.0 <sha>`, `github.com/docker/sandboxes/cli-plugin v0.7.1 <sha>`.
 */
export function firstSemver(text: string): string | null {
  return /v?(\d+\.\d+\.\d+)/.exec(text)?.[1] ?? null;
}

/** Negative when a < b, 0 when equal, positive when a > b (x.y.z only). */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < 3; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const PRESETS = ['allow-all', 'balanced', 'deny-all'] as const;

export interface PolicySummary {
  rules: number;
  /** The preset the rules came from, when a rule names it. */
  preset: string | null;
  allow: number;
  deny: number;
}

/**
 * `sbx policy ls --json`: `{"rules":[{"name","policy_id","origin","decision",…}]}`. It does not
 * report the default mode, so the preset is read from whichever rule field names one.
 * Null when unreadable; zero rules means no policy was initialised.
 */
export function parsePolicy(text: string): PolicySummary | null {
  const value = jsonAfterNoise(text);
  const rules = Array.isArray(value) ? value : isObject(value) ? value.rules : undefined;
  if (rules === null) return { rules: 0, preset: null, allow: 0, deny: 0 };
  if (!Array.isArray(rules)) return null;
  const objects = rules.filter(isObject);
  const named = objects.flatMap((rule) => [rule.policy_id, rule.name, rule.origin].map((field) => String(field ?? '')));
  const preset = PRESETS.find((name) => named.some((field) => field.toLowerCase().includes(name))) ?? null;
  return {
    rules: objects.length,
    preset,
    allow: objects.filter((rule) => rule.decision === 'allow').length,
    deny: objects.filter((rule) => rule.decision === 'deny').length,
  };
}

export function describePolicy(policy: PolicySummary): string {
  if (policy.preset) return `policy ${policy.preset}`;
  return `policy: ${policy.allow} allow, ${policy.deny} deny rules`;
}

/**
 * Whether `sbx secret ls [--json]` lists an Anthropic secret. The JSON shape is not documented,
 * so any string field of a listed entry starting with "anthropic" counts; in the text table,
 * the first column. Hint lines ("… sbx secret set anthropic") do not count.
 */
export function hasAnthropicSecret(text: string): boolean {
  const value = jsonAfterNoise(text);
  if (value !== undefined) {
    const list = Array.isArray(value) ? value : isObject(value) ? Object.values(value).find(Array.isArray) : undefined;
    return (list ?? []).some(
      (entry: unknown) =>
        (typeof entry === 'string' && /^anthropic/i.test(entry)) ||
        (isObject(entry) && Object.values(entry).some((field) => typeof field === 'string' && /^anthropic/i.test(field))),
    );
  }
  return text
    .split('\n')
    .some((line) => /^anthropic\b/i.test(line.trim()));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
