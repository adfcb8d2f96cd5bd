import { parseOptions } from '../config/options.js';
import { askModes } from './ask-modes.js';
import { runCommand } from './run.js';
import { startCommand } from './start.js';

// `cc-iso run`: a bundle of its own (scripts/bundle.mjs), one file with nothing of the app or the
// other commands in it. Headless runs depend on flags and CC_ISO_* alone: the app's remembered
// choices stay out.
startCommand(async (argv) => {
  const cli = parseOptions(argv.slice(1), process.env);
  const asked = askModes(cli.modes);
  return runCommand(cli, ['cc-iso', ...argv].join(' '), asked);
});
