import { execa } from 'execa';
import type { ModeId } from '../domain/modes.js';
import type { RunRecord } from '../domain/results.js';
import { summarize } from '../domain/stats.js';
import { sessionWith } from '../engine/plan-session.js';
import { startSession } from '../engine/session.js';
import { formatDuration as formatMs } from '../domain/duration.js';
import { benchTable } from './report.js';
import { ensureImage, planImage } from '../runtimes/image.js';
import { createRuntimes } from '../runtimes/registry.js';
import { imageInputs, type BenchConfig, type Engine } from './harness.js';
import { describeSample, tableMetrics, type BenchReport } from './report.js';

/**
 * The engine clock from the spawn: the same image started by the bare engine
 * (`ENGINE run --rm --init IMAGE true`, spawn to exit) and by cc-iso's run engine called in this
 * process (`--workload command -- true`, the engine's own timings from the spawn of the container
 * client to its exit, and the probe's spawn to first line). It leaves out what the whole process
 * adds (Node's start, detection, image check, cleanup, exports): that is the whole-process case.
 */
export async function engineClockCase(config: BenchConfig, engines: readonly Engine[]): Promise<BenchReport> {
  const plan = planImage(imageInputs());
  const rows: string[][] = [];
  for (const engine of engines) {
    await ensureImage(engine, plan, () => {}, new AbortController().signal);
    const bare: number[] = [];
    const command: number[] = [];
    const probe: number[] = [];
    // Interleaved, so drift on a busy machine hits every measure alike.
    for (let round = 0; round < config.rounds; round++) {
      const started = performance.now();
      await execa(engine, ['run', '--rm', '--init', plan.tag, 'true']);
      bare.push(performance.now() - started);
      command.push(measured(await runOnce(engine, 'command'), 'resultMs'));
      probe.push(measured(await runOnce(engine, 'probe'), 'startupMs'));
    }
    const floor = summarize(bare).median ?? 0;
    const ours = summarize(command).median ?? 0;
    const overhead = ours - floor;
    rows.push([
      engine,
      describeSample(bare),
      describeSample(command),
      `${(ours / floor).toFixed(2)}×`,
      `${overhead >= 0 ? '+' : ''}${Math.round(overhead)} ms`,
      formatMs(summarize(probe).median),
    ]);
  }
  const table = benchTable(
    ['engine', 'bare run --init true, spawn to exit', 'engine clock: command true', 'ratio', 'difference', 'probe startup'],
    rows,
    new Set([1, 2, 3, 4, 5]),
  );
  return {
    name: `Engine clock from spawn (not what a user waits for: see the whole process), ${config.rounds} interleaved rounds, median ±σ [min–max] (image ${plan.tag})`,
    metrics: tableMetrics(table),
    floors: [],
  };
}

async function runOnce(mode: ModeId, workload: 'command' | 'probe'): Promise<RunRecord> {
  const options = sessionWith({
    modes: [mode],
    workload,
    command: ['true'],
    image: imageInputs(),
    sequential: true,
  });

  const [record] = await startSession(options, { runtimes: createRuntimes() }, () => {}).done;
  if (!record || record.status !== 'passed') throw new Error(`${mode} ${workload} run did not pass: ${record?.error}`);
  return record;
}

function measured(record: RunRecord, key: 'resultMs' | 'startupMs'): number {
  const value = record.timings[key];
  if (value === null) throw new Error(`${record.mode} run has no ${key}`);
  return value;
}
