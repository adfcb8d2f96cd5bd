import { constants } from 'node:os';
import { UsageError, type CliOptions } from '../config/options.js';
import { redact } from '../credentials/mask.js';
import { MODES } from '../domain/modes.js';
import { placementLabel } from '../domain/targets.js';
import type { ResultsFile } from '../domain/results.js';
import type { EngineEvent, RunInfo } from '../engine/events.js';
import { planLaunch } from '../engine/plan-session.js';
import { textTable } from '../export/format.js';
import { sessionFacts } from '../export/results-file.js';
import { relativeStartupLine, statisticsTable } from '../export/statistics.js';
import { tableModel } from '../export/table-model.js';
import { ExportTargetError, SessionRecorder } from '../recording/recorder.js';
import { createRecording, fileOutput } from '../recording/recording-sink.js';
import { allAnswers, type AskedModes } from './ask-modes.js';
import { detectionLine } from './detect.js';
import { paint, writeExport } from './output.js';

/** `cc-iso run`: prints the recorded session's events as prefixed lines, then the results. */
export async function runCommand(cli: CliOptions, commandLine: string, asked: AskedModes): Promise<number> {
  const { runtimes, wanted } = asked;
  const timed = await allAnswers(asked);
  const detections = timed.map(({ detection }) => detection);
  const launch = await planLaunch(cli, detections, runtimes);
  for (const detection of launch.unavailable) process.stderr.write(`${detectionLine(detection)}\n`);

  // Exports on stdout keep it clean for a pipe: live output and the human summary go to stderr then.
  const human = cli.json === '-' || cli.markdown === '-' ? process.stderr : process.stdout;
  const warn = (message: string) => process.stderr.write(`cc-iso: ${message}\n`);
  const record = cli.record;
  const recorder = new SessionRecorder({
    targets: cli,
    write: async (target, content) => {
      await writeExport(target, content);
      return target;
    },
    // A token typed into a prompt or a flag must not land in the results files either.
    facts: (secrets) => sessionFacts(detections, redact(commandLine, secrets)),
    warn,
    recording: record
      ? createRecording({
          now: () => performance.now(),
          detections: timed,
          terminal: human.isTTY ? { columns: human.columns, rows: human.rows } : null,
          output: fileOutput(() => [record], warn),
        })
      : undefined,
  });

  const labels = new Map<string, string>();
  const width = Math.max(...[...wanted, ...cli.targets.map(placementLabel)].map((label) => label.length)) + 3;
  const print = (event: EngineEvent) => {
    if (event.type === 'run-queued') labels.set(event.run.id, prefix(event.run, width));
    if (event.type === 'output') {
      const text = event.stream === 'cc-iso' ? paint('dim', event.text) : event.text;
      human.write(`${labels.get(event.runId) ?? event.runId} ${text}\n`);
    }
  };

  let session;
  try {
    session = await recorder.start(launch, print);
  } catch (error) {
    if (error instanceof ExportTargetError) throw new UsageError(error.message);
    throw error;
  }
  const interrupts = interruptHandler(session.stopAll, session.forceStopAll);
  for (const signal of STOP_SIGNALS) process.on(signal, interrupts.handle);
  // `cc-iso run | head`, a closed terminal: a stream that cannot be written stops the runs
  // cleanly instead of crashing with them alive; the exports are still written.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => session.stopAll());
  }
  let file: ResultsFile;
  try {
    await session.done;
    // Still listening: a second ctrl-c while the last results are written must not lose them.
    file = await recorder.finish();
    human.write(`\n${summaryText(file)}\n`);
    for (const target of [cli.json, cli.markdown, cli.svg, cli.record]) {
      if (target && target !== '-') human.write(`written to ${target}\n`);
    }
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, interrupts.handle);
  }
  // Stopped by a signal: the shell's code for it (130 for ctrl-c), once everything is cleaned up.
  if (interrupts.signal) return 128 + constants.signals[interrupts.signal];
  return file.runs.every((record) => record.status === 'passed') ? 0 : 1;
}

/** A closed terminal (SIGHUP) stops the runs as ctrl-c and SIGTERM do: nothing is left running. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What a person reads at the end: every run, the statistics, the comparison and the advice. */
function summaryText(file: ResultsFile): string {
  const parts = [textTable(tableModel(file.runs))];
  for (const record of file.runs.filter((r) => r.error)) {
    parts.push(`${paint('red', '✗')} ${placementLabel({ mode: record.mode, target: record.target ?? null })} ${record.warmup ? 'warm-up ' : '#'}${record.iteration}: ${record.error}`);
  }
  if (file.summary.some((s) => s.passed > 0)) {
    parts.push('', textTable(statisticsTable(file.summary)));
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
  const text = `[${placementLabel({ mode: run.mode, target: run.target ?? null })}${run.warmup ? 'w' : '#'}${run.iteration}]`.padEnd(width + 2);
  return paint(MODES[run.mode].colour, text);
}

/**
 * First ctrl-c stops every run cleanly (terminate, kill after the grace period, remove); the
 * second removes every live container at once. Either way the session ends normally, so the
 * results so far are still written and the table printed.
 */
function interruptHandler(stopAll: () => void, forceStopAll: () => Promise<void>) {
  const state: { signal: (typeof STOP_SIGNALS)[number] | null; handle: (signal: (typeof STOP_SIGNALS)[number]) => void } = {
    signal: null,
    handle: (signal) => {
      const first = state.signal === null;
      state.signal ??= signal;
      if (first) {
        process.stderr.write('\nstopping every run… (press ctrl-c again to force)\n');
        stopAll();
      } else {
        process.stderr.write('forcing: removing every container now\n');
        void forceStopAll();
      }
    },
  };
  return state;
}
