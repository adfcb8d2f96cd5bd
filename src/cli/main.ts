import { MODE_IDS, WORKLOAD_IDS } from '../domain/modes.js';
import { envName, OPTION_TABLE, parseOptions, parseTargets, UsageError } from '../config/options.js';
import { loadChoices } from '../config/settings.js';
import { TOOL_VERSION } from '../config/version.js';
import { REPLAY_USAGE } from './replay-usage.js';

const USAGE = `cc-iso ${TOOL_VERSION} — run Claude Code headless in several isolation modes side by side and compare them

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

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  if (rest.includes('--help') && !rest.slice(0, rest.indexOf('--help')).includes('--')) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Each command loads only its own modules: `detect` must not pay for what `run` needs.
  switch (first) {
    case 'run': {
      // Headless runs depend on flags and CC_ISO_* alone: the app's remembered choices stay out.
      const cli = parseOptions(rest, process.env);
      // The engines are asked before the rest of `run` loads: they answer while Node compiles it.
      const asked = (await import('./ask-modes.js')).askModes(cli.modes);
      return (await import('./run.js')).runCommand(cli, ['cc-iso', ...argv].join(' '), asked);
    }
    case 'detect': {
      if (rest.some((arg) => arg !== '--json' && arg !== '--local')) throw new UsageError('cc-iso detect takes only --json and --local');
      // As for `run`: the engines answer while the rest loads.
      const asked = (await import('./ask-modes.js')).askModes('auto');
      return (await import('./detect.js')).detectCommand(rest.includes('--json'), rest.includes('--local'), asked);
    }
    case 'clean': {
      const stray = rest.find((arg) => !arg.includes('@'));
      if (stray) throw new UsageError(`cc-iso clean takes only <mode>@<target>, got "${stray}"`);
      return (await import('./clean.js')).cleanCommand(parseTargets(rest.join(',')));
    }
    case 'token':
      return (await import('./token.js')).tokenCommand();
    case 'replay':
      return (await import('./replay.js')).replayCommand(rest);
    default: {
      if (first !== undefined && !first.startsWith('-')) throw new UsageError(`unknown command "${first}"`);
      const options = parseOptions(argv, process.env, loadChoices());
      // The app draws its screen on stdout: an export there would be drawn over.
      if (options.json === '-' || options.markdown === '-' || options.svg === '-') {
        throw new UsageError('the interactive app needs a file for --json / --markdown / --svg; `-` (stdout) works with `cc-iso run`');
      }
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        process.stderr.write(
          'cc-iso: the interactive app needs a terminal. For scripts and CI use `cc-iso run` (see `cc-iso --help`).\n',
        );
        return 2;
      }
      // The first row is on screen before anything large loads; the engines are asked next, so
      // they answer while Ink and React load.
      const splash = (await import('../app/splash.js')).drawSplash(process.stdout);
      try {
        const clock = { now: () => performance.now() };
        const asked = (await import('./ask-modes.js')).askModes('auto', clock.now);
        // process-setup picks React's production build; it must load before anything imports React.
        await import('../app/process-setup.js');
        const { createRealEngine } = await import('./app-engine.js');
        const engine = createRealEngine(['cc-iso', ...argv].join(' '), clock, options.record, asked);
        const { launchApp } = await import('../app/launch.js');
        return await launchApp(options, () => engine, clock, splash.handOver);
      } catch (error) {
        splash.undo();
        throw error;
      }
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`cc-iso: ${error.message}\nRun \`cc-iso --help\` for the options.\n`);
      process.exitCode = 2;
      return;
    }
    // Preflight and credential errors carry their own fix; CC_ISO_DEBUG=1 shows where others came from.
    process.stderr.write(`cc-iso: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.CC_ISO_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  },
);
