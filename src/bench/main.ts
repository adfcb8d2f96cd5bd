// First, as in the app: it decides which React build the imports below load.
import { capYoungGeneration, restoreEnvironment } from '../app/process-setup.js';
import { floodCase } from './flood.js';
import { printReport, type BenchReport } from './report.js';
import { startupCase } from './startup.js';

/** `npm run bench`: every case in turn; the exit code says whether all floors held. */
const cases: (() => Promise<BenchReport>)[] = [startupCase, floodCase];

// The bench measures the app as it runs: the same React build and memory settings.
restoreEnvironment();
capYoungGeneration();
let ok = true;
for (const run of cases) {
  const report = await run();
  printReport(report);
  ok &&= report.floors.every((floor) => floor.ok);
}
process.exitCode = ok ? 0 : 1;
