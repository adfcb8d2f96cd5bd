import { UsageError } from '../config/options.js';
import { askModes } from './ask-modes.js';
import { detectCommand } from './detect.js';
import { startCommand } from './start.js';

// `cc-iso detect`: a bundle of its own (scripts/bundle.mjs), as `run` is.
startCommand(async (argv) => {
  const rest = argv.slice(1);
  if (rest.some((arg) => arg !== '--json' && arg !== '--local')) throw new UsageError('cc-iso detect takes only --json and --local');
  return detectCommand(rest.includes('--json'), rest.includes('--local'), askModes('auto'));
});
