import { parseArgs } from 'node:util';
import type { ModeId, WorkloadId } from '../domain/modes.js';
import { BOTH_MODES, isModeId, isWorkloadId, MODE_IDS, WORKLOAD_IDS } from '../domain/modes.js';
import { parsePlacement, type Placement } from '../domain/targets.js';

/** Pinned Claude Code version for the image: event shapes change between releases. */
export const DEFAULT_CLAUDE_VERSION = '2.1.332';
export const DEFAULT_BASE_IMAGE = 'node:22-bookworm-slim';
export const DEFAULT_PROMPT = 'Create notes.txt with three ideas for a README';

/**
 * The one table of options shared by `cc-iso` and `cc-iso run`. Each can also come from the
 * environment as CC_ISO_<NAME> (dashes become underscores) and from the saved settings.
 */
export const OPTION_TABLE = {
  mode: { type: 'string', default: 'auto', help: 'comma list of modes, `auto` (every available mode) or `both` (docker,sandbox); `<mode>@<target>` runs a container mode on a Docker context, Podman connection or engine URL (ssh://, tcp://, unix://)' },
  workload: { type: 'string', default: 'claude', help: `${WORKLOAD_IDS.join(' | ')}` },
  prompt: { type: 'string', default: DEFAULT_PROMPT, help: 'the prompt for claude' },
  runs: { type: 'string', default: '1', help: 'measured runs per mode' },
  warmup: { type: 'string', default: '0', help: 'warm-up runs per mode (not measured)' },
  workspace: { type: 'string', default: '', help: 'folder shared with each mode (default: a fresh temporary folder per run)' },
  timeout: { type: 'string', default: '600', help: 'seconds per run; a run past it is stopped and marked timeout' },
  json: { type: 'string', default: '', help: 'write the results as JSON to a file (rewritten after every finished run), or - for stdout (cc-iso run only)' },
  markdown: { type: 'string', default: '', help: 'write the findings report as Markdown to a file (rewritten after every finished run), or - for stdout (cc-iso run only)' },
  'base-image': { type: 'string', default: DEFAULT_BASE_IMAGE, help: 'base image of the container modes\' image' },
  'claude-version': { type: 'string', default: DEFAULT_CLAUDE_VERSION, help: 'Claude Code version installed in the image' },
  'blocked-url': { type: 'string', default: 'https://example.com/', help: 'a URL the network policy should block (probe check)' },
  'registry-url': { type: 'string', default: 'https://registry.npmjs.org/', help: 'the npm registry the probe installs from' },
  sequential: { type: 'boolean', default: false, help: 'run the modes of a round one after another (fairer timings)' },
  'credential-path': {
    type: 'string',
    default: 'env',
    help: 'how container modes get the token: env (in the container\'s environment, shown by `docker inspect`) or proxy (a placeholder; a host-side forwarder adds the token)',
  },
  'allow-plain-tcp': { type: 'boolean', default: false, help: 'send the credential to a tcp:// engine without TLS (unencrypted on the network)' },
} as const;

export const CREDENTIAL_PATHS = ['env', 'proxy'] as const;
export type CredentialPath = (typeof CREDENTIAL_PATHS)[number];

export type OptionName = keyof typeof OPTION_TABLE;

export class UsageError extends Error {}

export interface CliOptions {
  modes: ModeId[] | 'auto';
  workload: WorkloadId;
  prompt: string;
  runs: number;
  warmup: number;
  workspace: string | null;
  timeoutMs: number | null;
  json: string | null;
  markdown: string | null;
  baseImage: string;
  claudeVersion: string;
  blockedUrl: string;
  registryUrl: string;
  sequential: boolean;
  credentialPath: CredentialPath;
  /** `<mode>@<target>` entries of --mode: container modes on other machines' engines. */
  targets: Placement[];
  allowPlainTcp: boolean;
  /** What follows `--`: the command of the `command` workload. */
  command: string[];
  /** Which options the user set explicitly (flag or environment), so the app can skip asking. */
  explicit: Set<OptionName>;
}

export function envName(option: OptionName): string {
  return `CC_ISO_${option.toUpperCase().replaceAll('-', '_')}`;
}

type RawValues = Partial<Record<OptionName, string | boolean>>;

/**
 * Reads options from flags, then the environment, then saved settings, then defaults
 * (a flag wins over the variable, the variable over the setting).
 */
export function parseOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  saved: RawValues = {},
): CliOptions {
  const separator = argv.indexOf('--');
  const flags = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  let values: RawValues;
  try {
    const parsed = parseArgs({
      args: flags,
      options: Object.fromEntries(
        Object.entries(OPTION_TABLE).map(([name, spec]) => [name, { type: spec.type }]),
      ) as Record<OptionName, { type: 'string' | 'boolean' }>,
      allowPositionals: false,
      strict: true,
    });
    values = parsed.values as RawValues;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const explicit = new Set<OptionName>();
  const pick = (name: OptionName): string | boolean => {
    const flag = values[name];
    if (flag !== undefined) {
      explicit.add(name);
      return flag;
    }
    const fromEnv = env[envName(name)];
    if (fromEnv !== undefined && fromEnv !== '') {
      explicit.add(name);
      const spec = OPTION_TABLE[name];
      return spec.type === 'boolean' ? /^(1|true|yes)$/i.test(fromEnv) : fromEnv;
    }
    return saved[name] ?? OPTION_TABLE[name].default;
  };
  const text = (name: OptionName) => String(pick(name));
  const workload = text('workload');
  if (!isWorkloadId(workload)) {
    throw new UsageError(`unknown workload "${workload}"; choose one of ${WORKLOAD_IDS.join(', ')}`);
  }
  if (workload === 'command' && command.length === 0) {
    throw new UsageError('--workload command needs the command after `--`, e.g. cc-iso run --workload command -- uname -a');
  }
  const timeout = positiveNumber('timeout', text('timeout'), true);
  const credentialPath = text('credential-path');
  if (!(CREDENTIAL_PATHS as readonly string[]).includes(credentialPath)) {
    throw new UsageError(`--credential-path must be one of ${CREDENTIAL_PATHS.join(', ')}, got "${credentialPath}"`);
  }
  return {
    modes: parseModes(text('mode')),
    targets: parseTargets(text('mode')),
    allowPlainTcp: pick('allow-plain-tcp') === true,
    workload,
    prompt: text('prompt'),
    runs: positiveNumber('runs', text('runs'), false),
    warmup: positiveNumber('warmup', text('warmup'), true),
    workspace: text('workspace') || null,
    timeoutMs: timeout === 0 ? null : timeout * 1000,
    json: text('json') || null,
    markdown: text('markdown') || null,
    baseImage: text('base-image'),
    claudeVersion: text('claude-version'),
    blockedUrl: text('blocked-url'),
    registryUrl: text('registry-url'),
    sequential: pick('sequential') === true,
    credentialPath: credentialPath as CredentialPath,
    command,
    explicit,
  };
}

export function parseModes(value: string): ModeId[] | 'auto' {
  const trimmed = value.trim();
  if (trimmed === 'auto' || trimmed === '') return 'auto';
  if (trimmed === 'both') return [...BOTH_MODES];
  const modes = trimmed.split(',').map((mode) => mode.trim()).filter((mode) => mode && !mode.includes('@'));
  const unknown = modes.filter((mode) => !isModeId(mode));
  if (unknown.length > 0) {
    throw new UsageError(`unknown mode "${unknown.join(', ')}"; choose from ${MODE_IDS.join(', ')}, auto or both`);
  }
  return [...new Set(modes)] as ModeId[];
}

/** The `<mode>@<target>` entries of --mode, in order, without repeats. */
export function parseTargets(value: string): Placement[] {
  const entries = [...new Set(value.split(',').map((entry) => entry.trim()).filter((entry) => entry.includes('@')))];
  return entries.map((entry) => {
    try {
      return parsePlacement(entry);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  });
}

function positiveNumber(name: string, value: string, allowZero: boolean): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < (allowZero ? 0 : 1) || !Number.isInteger(number)) {
    throw new UsageError(`--${name} must be a whole number ${allowZero ? '≥ 0' : '≥ 1'}, got "${value}"`);
  }
  return number;
}
