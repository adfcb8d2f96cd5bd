import { execa } from 'execa';
import { DEFAULT_BASE_IMAGE, DEFAULT_CLAUDE_VERSION } from '../config/options.js';
import { formatDuration } from '../domain/duration.js';
import type { ModeId } from '../domain/modes.js';
import type { RunRecord } from '../domain/results.js';
import { summarize } from '../domain/stats.js';
import { tableOf } from '../domain/table.js';
import { sessionWith } from '../engine/plan-session.js';
import { startSession } from '../engine/session.js';
import { textTable } from '../export/format.js';
import { ensureImage, planImage } from '../runtimes/image.js';
import { createRuntimes } from '../runtimes/registry.js';
import type { BenchReport } from './report.js';

// Single starts vary by ±30 ms on a busy 2-core machine: enough rounds for a steady median.
const ROUNDS = 15;

/**
 * cc-iso's own cost on top of the engine: the same image started by the bare engine
 * (`ENGINE run --rm IMAGE true`, spawn to exit) and by cc-iso's engine (`--workload command -- true`,
 * spawn to exit, and the probe's spawn to first line). The engine's start is the floor.
 */
export async function startupCase(): Promise<BenchReport> {
  const baseImage = process.env.CC_ISO_BASE_IMAGE || DEFAULT_BASE_IMAGE;
  const plan = await planImage({ baseImage, claudeVersion: DEFAULT_CLAUDE_VERSION });
  const rows: string[][] = [];
  const floors: BenchReport['floors'] = [];
  for (const engine of ['docker', 'podman'] as const) {
    const info = await execa(engine, ['info'], { reject: false });
    if (info.exitCode !== 0) {
      floors.push({ label: `${engine}: not answering, not measured`, ok: true });
      continue;
    }
    await ensureImage(engine, plan, () => {}, new AbortController().signal);
    const bare: number[] = [];
    const command: number[] = [];
    const probe: number[] = [];
    // Interleaved, so drift on a busy machine hits every measure alike.
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await execa(engine, ['run', '--rm', plan.tag, 'true']);
      bare.push(performance.now() - started);
      command.push(measured(await runOnce(engine, 'command', baseImage), 'resultMs'));
      probe.push(measured(await runOnce(engine, 'probe', baseImage), 'startupMs'));
    }
    const floor = summarize(bare).median ?? 0;
    const ours = summarize(command).median ?? 0;
    const overhead = ours - floor;
    const allowed = Math.max(floor * 0.1, 30);
    rows.push([
      engine,
      withSpread(bare),
      withSpread(command),
      `${(ours / floor).toFixed(2)}×`,
      `${overhead >= 0 ? '+' : ''}${Math.round(overhead)} ms`,
      formatDuration(summarize(probe).median),
    ]);
    floors.push({
      label: `${engine}: cc-iso adds ${Math.round(overhead)} ms to the engine's own start (allowed: 10% or 30 ms, here ${Math.round(allowed)} ms)`,
      ok: overhead <= allowed,
    });
  }
  const table = textTable(
    tableOf(['engine', 'bare run true (median ± σ)', 'cc-iso true (median ± σ)', 'ratio', 'overhead', 'probe startup'], rows, new Set([1, 2, 3, 4, 5])),
  );
  return {
    name: `Startup: the bare engine vs cc-iso, median of ${ROUNDS} interleaved rounds (image ${plan.tag})`,
    metrics: table.split('\n').map((line) => ['', line] as [string, string]),
    floors,
  };
}

async function runOnce(mode: ModeId, workload: 'command' | 'probe', baseImage: string): Promise<RunRecord> {
  const options = sessionWith({
    modes: [mode],
    workload,
    command: ['true'],
    image: { baseImage, claudeVersion: DEFAULT_CLAUDE_VERSION },
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

function withSpread(values: number[]): string {
  const { median, stddev } = summarize(values);
  return `${formatDuration(median)} ± ${Math.round(stddev ?? 0)}`;
}
