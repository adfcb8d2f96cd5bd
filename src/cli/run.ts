import type { CliOptions } from '../config/options.js';
import type { ModeId } from '../domain/modes.js';
import { MODE_IDS } from '../domain/modes.js';
import type { RunRecord } from '../domain/results.js';
import type { EngineEvent, RunInfo } from '../engine/events.js';
import { planSession } from '../engine/plan-session.js';
import { startSession } from '../engine/session.js';
import { textTable } from '../export/format.js';
import { hostInfo } from '../export/host-info.js';
import { buildResultsFile, type SessionFacts } from '../export/results-file.js';
import { tableModel } from '../export/table-model.js';
import { createRuntimes, detectAll } from '../runtimes/registry.js';
import { describeDetection } from './detect.js';
import { paint, writeExport } from './output.js';

const MODE_COLOURS = { host: 'green', docker: 'cyan', podman: 'magenta', sandbox: 'yellow' } as const satisfies Record<
  ModeId,
  string
>;

/** `cc-iso run`: the engine with live prefixed output, a results table and the exports. */
export async function runCommand(cli: CliOptions, commandLine: string): Promise<number> {
  const runtimes = createRuntimes();
  const detections = await detectAll(runtimes);
  const planned = await planSession(cli, detections, runtimes);
  for (const detection of planned.unavailable) process.stderr.write(`${describeDetection(detection)}\n`);

  const facts: SessionFacts = {
    startedAt: new Date().toISOString(),
    command: commandLine,
    host: hostInfo(),
    runtimes: Object.fromEntries(
      MODE_IDS.map((mode) => {
        const found = detections.find((d) => d.mode === mode);
        return [mode, found?.available ? [found.runtime, found.version].filter(Boolean).join(' ') : null];
      }),
    ),
  };
  const finished: RunRecord[] = [];
  const labels = new Map<string, string>();
  const width = Math.max(...planned.options.modes.map((mode) => mode.length)) + 3;
  let exports = Promise.resolve();
  const writeExports = (done: boolean) => {
    // Written after every finished run, so an interrupted session keeps what it measured.
    const file = buildResultsFile(facts, finished, done);
    exports = exports.then(async () => {
      if (cli.json && cli.json !== '-') await writeExport(cli.json, JSON.stringify(file, null, 2));
    });
    return exports;
  };

  const onEvent = (event: EngineEvent) => {
    switch (event.type) {
      case 'run-queued':
        labels.set(event.run.id, prefix(event.run, width));
        break;
      case 'output': {
        const label = labels.get(event.runId) ?? event.runId;
        const text = event.stream === 'cc-iso' ? paint('dim', event.text) : event.text;
        process.stdout.write(`${label} ${text}\n`);
        break;
      }
      case 'run-finished':
        finished.push(event.record);
        void writeExports(false);
        break;
      default:
        break;
    }
  };

  const session = startSession(planned.options, { runtimes: planned.runtimes }, onEvent);
  const onInterrupt = interruptHandler(session.stopAll, session.forceStopAll);
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  let records: RunRecord[];
  try {
    records = await session.done;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }

  await writeExports(true);
  const file = buildResultsFile(facts, records, true);
  if (cli.json === '-') await writeExport('-', JSON.stringify(file, null, 2));
  const stream = cli.json === '-' ? process.stderr : process.stdout;
  const model = tableModel(records);
  stream.write(`\n${textTable(model.headers, model.rows, model.numericColumns)}\n`);
  for (const record of records.filter((r) => r.error)) {
    stream.write(`${paint('red', '✗')} ${record.mode} #${record.iteration}: ${record.error}\n`);
  }
  if (cli.json && cli.json !== '-') stream.write(`results written to ${cli.json}\n`);
  return records.every((record) => record.status === 'passed') ? 0 : 1;
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
