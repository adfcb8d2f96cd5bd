// First, as in the app: it decides which React build the imports below load.
import { boundHeapGrowth, restoreEnvironment } from '../app/process-setup.js';
import { floodCase } from './flood.js';

/**
 * The flood case in a Node process of its own (`node dist/bench/flood-process.js SECONDS`), its
 * report as JSON on stdout: the peak RSS it reports is the process's lifetime high, which in the
 * bench's own process would include every case before it.
 */
restoreEnvironment();
boundHeapGrowth();
const report = await floodCase({ seconds: Number(process.argv[2]) });
process.stdout.write(JSON.stringify(report));
