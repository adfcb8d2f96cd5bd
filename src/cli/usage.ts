import { envName, OPTION_TABLE } from '../config/options.js';
import { TOOL_VERSION } from '../config/version.js';
import { MODE_IDS, WORKLOAD_IDS } from '../domain/modes.js';
import { REPLAY_USAGE } from './replay-usage.js';

export const USAGE = `cc-iso ${TOOL_VERSION} — run Claude Code headless in several isolation modes side by side and compare them

Usage:
  cc-iso [options]                      the interactive app (needs a terminal)
  cc-iso run [options] [-- <command>…]  headless: live prefixed output, results table, exports
                                        exit 0 when every run passed, 1 when any failed, 2 on bad usage
  cc-iso detect [--json] [--local]      what this machine has, versions, and why a mode is unavailable;
                                        every Docker context and Podman connection (targets; not
                                        asked with --local)
  cc-iso token                          credential source, masked token, expiry
  cc-iso clean [<mode>@<target>…]       remove anything cc-iso left behind (here and on every
                                        context/connection, or only on the targets named)
  cc-iso replay <file> [--speed N] [--from S] [--cast out.cast]   replay a recorded session offline
  cc-iso --help | --version

Options (also from the environment as CC_ISO_<OPTION>; a flag wins over the variable):
${Object.entries(OPTION_TABLE)
  .map(([name, spec]) => {
    const flag = `  --${name}${spec.type === 'string' ? ' <value>' : ''}`;
    const fallback = spec.default === '' || spec.default === false ? '' : ` (default ${String(spec.default)})`;
    return `${flag.padEnd(30)} ${spec.help}${fallback}\n${' '.repeat(31)}${envName(name as keyof typeof OPTION_TABLE)}`;
  })
  .join('\n')}

${REPLAY_USAGE}

Modes: ${MODE_IDS.join(", ")}. Workloads: ${WORKLOAD_IDS.join(", ")}.
Examples:
  cc-iso run --mode docker,podman,host --workload probe --runs 3 --json results.json
  cc-iso run --mode docker --workload command -- uname -a
`;

/**
 * What `--help` and `--version` print, or null: `--help` anywhere before a `--` (after it, it is
 * the command's), `--version` only first.
 */
export function helpOrVersion(argv: readonly string[]): string | null {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') return USAGE;
  if (first === '--version' || first === '-v') return `${TOOL_VERSION}\n`;
  if (rest.includes('--help') && !rest.slice(0, rest.indexOf('--help')).includes('--')) return USAGE;
  return null;
}
