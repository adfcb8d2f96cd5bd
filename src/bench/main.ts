import { appStartCase } from './app-start.js';
import { bookkeepingCase } from './bookkeeping.js';
import { engineCallsCase } from './engine-calls.js';
import { engineClockCase } from './engine-clock.js';
import { exportsCase } from './exports.js';
import { answeringEngines, benchConfig, caseApart, type BenchCase } from './harness.js';
import { load, machineReport, settle } from './machine.js';
import { printFloors, printReport, type BenchReport } from './report.js';
import { sessionCase } from './session.js';
import { wholeProcessCase } from './whole-process.js';

/**
 * `npm run bench [-- --quick] [-- --only case,…]`: every case (or those named) in turn, each printed as it ends, then every floor;
 * the exit code says whether all floors held. Cases that start containers need the engines'
 * lock on a shared machine: `flock /tmp/cc-iso-engines.lock npm run bench`.
 */
const config = benchConfig(process.argv.slice(2));

const found = await answeringEngines();
const engines = found.map(({ engine }) => engine);
const cases: Record<BenchCase, () => Promise<BenchReport | null>> = {
  'whole-process': () => wholeProcessCase(config, engines),
  'app-start': () => appStartCase(config),
  session: async () => (engines.length > 0 ? sessionCase(config, engines[0]!) : null),
  'engine-calls': () => engineCallsCase(engines),
  bookkeeping: () => bookkeepingCase(config, engines),
  exports: () => exportsCase(config),
  'engine-clock': () => engineClockCase(config, engines),
  flood: () => caseApart('flood-process.js', [String(config.floodSeconds)]),
};
const reports: BenchReport[] = [];
if (engines.length === 0) reports.push({ name: 'Engines', metrics: [], floors: [{ label: 'neither Docker nor Podman answers: the engine cases are left out', ok: false }] });
const machine = machineReport(found, config.quick);
printReport(machine);
reports.push(machine);
for (const name of config.cases) {
  process.stdout.write(`\n(${name}: ${(await settle()).toFixed(1)} s for the machine to settle first)\n`);
  const report = await cases[name]();
  if (!report) continue;
  printReport(report);
  reports.push(report);
}
process.stdout.write(`\nload average at the end: ${load()}\n`);
process.exitCode = printFloors(reports) ? 0 : 1;
