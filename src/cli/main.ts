import { parseOptions, parseTargets, UsageError } from '../config/options.js';
import { loadChoices } from '../config/settings.js';
import { startCommand } from './start.js';

/** The app and the commands other than `run` and `detect`, which bin.ts starts from bundles of their own. */
async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  // Each command loads only its own modules.
  switch (first) {
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

startCommand(main);
