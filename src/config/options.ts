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
  svg: { type: 'string', default: '', help: 'draw the timings chart as an SVG image to a file (rewritten after every finished run)' },
  record: { type: 'string', default: '', help: 'record the session (every event, timed) to a file for `cc-iso replay`' },
  'base-image': { type: 'string', default: DEFAULT_BASE_IMAGE, help: 'base image of the container modes\' image' },
  'claude-version': { type: 'string', default: DEFAULT_CLAUDE_VERSION, help: 'Claude Code version installed in the image' },
  'blocked-url': { type: 'string', default: 'https://example.com/', help: 'a URL the network policy should block (probe check)' },
  'registry-url': { type: 'string', default: '', help: 'the npm registry the probe installs from (default: the one npm is configured with where the probe runs)' },
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
  svg: string | null;
  /** Where the session is recorded for replay. */
  record: string | null;
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
}

export function envName(option: OptionName): string {
  return `CC_ISO_${option.toUpperCase().replaceAll('-', '_')}`;
}

type RawValues = Partial<Record<OptionName, string | boolean>>;

/** The most measured (or warm-up) runs per mode: millions exhaust the heap long before they finish. */
export const MAX_RUNS = 10_000;
/** The longest timeout a timer can hold (setTimeout takes at most 2^31 − 1 ms), in seconds. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Options only some workloads use: naming one for another workload is a usage error, not ignored. */
const WORKLOAD_OPTIONS: Partial<Record<OptionName, readonly WorkloadId[]>> = {
  prompt: ['claude'],
  // The probe also runs before Claude, so the claude workload uses these too.
  'blocked-url': ['probe', 'claude'],
  'registry-url': ['probe', 'claude'],
};

/**
 * Reads options from flags, then the environment, then defaults (a flag wins over the variable).
 * `appChoices` are the choices the interactive app remembered: only the app passes them, between
 * the variables and the defaults, to preselect its screen; `cc-iso run` depends on its flags and
 * CC_ISO_* variables alone. A remembered choice that is no longer valid falls back to the default.
 */
export function parseOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  appChoices: RawValues = {},
): CliOptions {
  const separator = argv.indexOf('--');
  const flags = attachDashValues(separator === -1 ? argv : argv.slice(0, separator));
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
  /** Options the user set (flag or variable), as opposed to remembered or default values. */
  const explicit = new Set<OptionName>();
  const remembered = new Set<OptionName>();
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
    const choice = appChoices[name];
    if (choice !== undefined) {
      remembered.add(name);
      return choice;
    }
    return OPTION_TABLE[name].default;
  };
  const text = (name: OptionName) => String(pick(name));
  /** Where a value came from, as the user would look for it. */
  const origin = (name: OptionName) => (values[name] !== undefined ? `--${name}` : envName(name));
  const parsed = <T>(name: OptionName, parse: (value: string, label: string) => T): T => {
    try {
      return parse(text(name), origin(name));
    } catch (error) {
      if (!(error instanceof UsageError) || !remembered.has(name)) throw error;
      // A remembered choice that is no longer valid: the default, not an error the user did not type.
      return parse(String(OPTION_TABLE[name].default), origin(name));
    }
  };

  const workload = parsed('workload', (value) => {
    if (!isWorkloadId(value)) throw new UsageError(`unknown workload "${value}"; choose one of ${WORKLOAD_IDS.join(', ')}`);
    return value;
  });
  if (workload === 'command' && command.length === 0) {
    throw new UsageError('--workload command needs the command after `--`, e.g. cc-iso run --workload command -- uname -a');
  }
  if (command.length > 0 && workload !== 'command') {
    throw new UsageError(`the ${workload} workload runs no command after \`--\`; drop it, or add --workload command`);
  }
  // Only where the workload is chosen for certain (flag or variable): the app may still switch it.
  if (explicit.has('workload')) {
    for (const [name, users] of Object.entries(WORKLOAD_OPTIONS) as [OptionName, readonly WorkloadId[]][]) {
      if (values[name] !== undefined && !users.includes(workload)) {
        throw new UsageError(`--${name} is not used by the ${workload} workload (only by ${users.join(' and ')}); drop it`);
      }
    }
  }
  const timeout = parsed('timeout', wholeNumber(0, MAX_TIMEOUT_SECONDS, ' seconds (0: no timeout; the most a timer can wait is about 24 days)'));
  const credentialPath = parsed('credential-path', (value, label) => {
    if (!(CREDENTIAL_PATHS as readonly string[]).includes(value)) {
      throw new UsageError(`${label} must be one of ${CREDENTIAL_PATHS.join(', ')}, got "${value}"`);
    }
    return value as CredentialPath;
  });
  return {
    modes: parsed('mode', parseModes),
    targets: parsed('mode', parseTargets),
    allowPlainTcp: pick('allow-plain-tcp') === true,
    workload,
    prompt: text('prompt'),
    runs: parsed('runs', wholeNumber(1, MAX_RUNS, '; for more, run several sessions')),
    warmup: parsed('warmup', wholeNumber(0, MAX_RUNS, '')),
    workspace: text('workspace') || null,
    timeoutMs: timeout === 0 ? null : timeout * 1000,
    json: text('json') || null,
    markdown: text('markdown') || null,
    svg: text('svg') || null,
    record: text('record') || null,
    baseImage: text('base-image'),
    claudeVersion: text('claude-version'),
    blockedUrl: text('blocked-url'),
    registryUrl: text('registry-url'),
    sequential: pick('sequential') === true,
    credentialPath,
    command,
  };
}

/**
 * `--timeout -1` would otherwise stop node's parser ("ambiguous"): the argument after a string
 * option is its value unless it is an option itself (`--…`), so the bounds check can say what is
 * wrong with it.
 */
function attachDashValues(flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const next = flags[i + 1];
    const name = flag.startsWith('--') ? flag.slice(2) : '';
    const takesValue = Object.hasOwn(OPTION_TABLE, name) && OPTION_TABLE[name as OptionName].type === 'string';
    if (takesValue && next !== undefined && next.startsWith('-') && !next.startsWith('--')) {
      out.push(`${flag}=${next}`);
      i++;
    } else {
      out.push(flag);
    }
  }
  return out;
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

/** A parser for a whole number in [min, max]; anything else is a usage error naming the option. */
function wholeNumber(min: number, max: number, note: string): (value: string, label: string) => number {
  return (value, label) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isInteger(number) || number < min || number > max) {
      throw new UsageError(`${label} must be a whole number from ${min} to ${max}${note}, got "${value}"`);
    }
    return number;
  };
}
