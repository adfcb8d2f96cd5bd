import { UsageError, type CliOptions } from '../config/options.js';
import { redact } from '../credentials/mask.js';
import type { ModeId } from '../domain/modes.js';
import type { ResultsFile, RunRecord } from '../domain/results.js';
import type { EngineEvent, RunInfo } from '../engine/events.js';
import { planSession } from '../engine/plan-session.js';
import { startSession } from '../engine/session.js';
import { exportContent, exportWriter } from '../export/export-files.js';
import { textTable } from '../export/format.js';
import { buildResultsFile, sessionFacts } from '../export/results-file.js';
import { relativeStartupLine, statisticsTable } from '../export/statistics.js';
import { tableModel } from '../export/table-model.js';
import { createRuntimes, detectAll } from '../runtimes/registry.js';
import { describeDetection } from './detect.js';
import { paint, writeExport } from './output.js';

const MODE_COLOURS = { host: 'green', docker: 'cyan', podman: 'magenta', sandbox: 'yellow', gvisor: 'blue', srt: 'red' } as const satisfies Record<
  ModeId,
  string
>;

/** `cc-iso run`: the engine with live prefixed output, a results table and the exports. */
export async function runCommand(cli: CliOptions, commandLine: string): Promise<number> {
  const runtimes = createRuntimes();
  const detections = await detectAll(runtimes);
  const planned = await planSession(cli, detections, runtimes);
  for (const detection of planned.unavailable) process.stderr.write(`${describeDetection(detection)}\n`);

  // A token typed into a prompt or a flag must not land in the results files either.
  const facts = sessionFacts(detections, redact(commandLine, planned.options.secrets));
  const finished: RunRecord[] = [];
  const labels = new Map<string, string>();
  const width = Math.max(...planned.options.modes.map((mode) => mode.length)) + 3;
  const writeFiles = exportWriter(cli, writeExport);
  const writeExports = (done: boolean) => {
    // Written after every finished run, so an interrupted session keeps what it measured;
    // in plan order (modes alternating), not in the order runs happened to end.
    const order = [...labels.keys()];
    const sorted = [...finished].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    return writeFiles(buildResultsFile(facts, sorted, done));
  };
  // A target that cannot be written is found before any container starts, not after the runs.
  await writeExports(false).catch((error: unknown) => {
    throw new UsageError(`cannot write the results: ${error instanceof Error ? error.message : String(error)}`);
  });
  const keepWriting = () =>
    writeExports(false).catch((error: unknown) => {
      process.stderr.write(`cc-iso: could not write the results: ${error instanceof Error ? error.message : String(error)}\n`);
    });

  // Exports on stdout keep it clean for a pipe: live output and the human summary go to stderr then.
  const human = cli.json === '-' || cli.markdown === '-' ? process.stderr : process.stdout;
  const onEvent = (event: EngineEvent) => {
    switch (event.type) {
      case 'run-queued':
        labels.set(event.run.id, prefix(event.run, width));
        break;
      case 'output': {
        const label = labels.get(event.runId) ?? event.runId;
        const text = event.stream === 'cc-iso' ? paint('dim', event.text) : event.text;
        human.write(`${label} ${text}\n`);
        break;
      }
      case 'run-finished':
        finished.push(event.record);
        void keepWriting();
        break;
      default:
        break;
    }
  };

  const session = startSession(planned.options, { runtimes: planned.runtimes }, onEvent);
  const onInterrupt = interruptHandler(session.stopAll, session.forceStopAll);
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  // `cc-iso run | head`: a closed pipe stops the runs cleanly instead of crashing with them alive.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') session.stopAll();
  });
  let records: RunRecord[];
  try {
    records = await session.done;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }

  await writeExports(true);
  const file = buildResultsFile(facts, records, true);
  if (cli.json === '-') await writeExport('-', exportContent(file, 'json'));
  if (cli.markdown === '-') await writeExport('-', exportContent(file, 'markdown'));
  human.write(`\n${summaryText(file)}\n`);
  for (const target of [cli.json, cli.markdown]) {
    if (target && target !== '-') human.write(`written to ${target}\n`);
  }
  return records.every((record) => record.status === 'passed') ? 0 : 1;
}

/** What a person reads at the end: every run, the statistics, the comparison and the advice. */
function summaryText(file: ResultsFile): string {
  const runs = tableModel(file.runs);
  const parts = [textTable(runs.headers, runs.rows, runs.numericColumns)];
  for (const record of file.runs.filter((r) => r.error)) {
    parts.push(`${paint('red', '✗')} ${record.mode} ${record.warmup ? 'warm-up ' : '#'}${record.iteration}: ${record.error}`);
  }
  if (file.summary.some((s) => s.passed > 0)) {
    const stats = statisticsTable(file.summary);
    parts.push('', textTable(stats.headers, stats.rows, stats.numericColumns));
    for (const summary of file.summary) {
      const line = relativeStartupLine(summary);
      if (line) parts.push(line);
      for (const warning of summary.warnings) parts.push(`${paint('yellow', '!')} ${summary.mode}: ${warning}`);
    }
  }
  if (file.recommendation) parts.push('', paint('bold', file.recommendation));
  return parts.join('\n');
}

function prefix(run: RunInfo, width: number): string {
  const text = `[${run.mode}${run.warmup ? 'w' : '#'}${run.iteration}]`.padEnd(width + 2);
  return paint(MODE_COLOURS[run.mode], text);
}

/**
 * First ctrl-c stops every run cleanly (terminate, kill after the grace period, remove); the
 * second removes every live container at once. Either way the session ends normally, so the
 * results so far are still written and the table printed.
 */
function interruptHandler(stopAll: () => void, forceStopAll: () => Promise<void>): () => void {
  let presses = 0;
  return () => {
    presses += 1;
    if (presses === 1) {
      process.stderr.write('\nstopping every run… (press ctrl-c again to force)\n');
      stopAll();
    } else if (presses === 2) {
      process.stderr.write('forcing: removing every container now\n');
      void forceStopAll();
    }
  };
}
