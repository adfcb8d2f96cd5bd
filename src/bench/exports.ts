import { join } from 'node:path';
import type { ModeId } from '../domain/modes.js';
import type { RunRecord } from '../domain/results.js';
import { newRecord } from '../engine/session.js';
import { writeFile } from 'node:fs/promises';
import { exportContent } from '../export/export-files.js';
import { buildResultsFile, sessionFacts } from '../export/results-file.js';
import { scratchDir, type BenchConfig } from './harness.js';
import { benchTable, describeSample, median, tableMetrics, type BenchReport } from './report.js';

const SIZES = [10, 50, 100, 500];
/**
 * Per record, a linear rewrite costs the same at 100 and 500 records, a quadratic one 5× as much:
 * the floor is halfway (√5) between, as a shared machine's noise and V8's heap moves a few steps.
 */
const LINEAR_SLACK = Math.sqrt(5);

/** A passed run as a session of `--workload command` records it, with plausible timings. */
function syntheticRecord(index: number): RunRecord {
  const [mode, runtime]: [ModeId, string] = index % 2 === 0 ? ['docker', 'Docker Engine 20.10.24'] : ['podman', 'Podman 4.3.1'];
  const record = newRecord({ id: `bench-${index}`, mode, workload: 'command', iteration: index + 1, warmup: false });
  const jitter = (base: number) => base + ((index * 37) % 50);
  return {
    ...record,
    status: 'passed',
    exitCode: 0,
    runtime,
    timings: { prepareMs: jitter(20), startupMs: jitter(300), firstOutputMs: null, resultMs: jitter(310), exitLagMs: jitter(5), totalMs: jitter(330), cleanupMs: jitter(40) },
  };
}

/**
 * One rewrite of the results (JSON and Markdown) with `records` runs, as `cc-iso run --json
 * --markdown` does after each finished run: build the results file, render both, write both.
 */
export function rewriter(): (records: RunRecord[]) => Promise<number> {
  const dir = scratchDir('exports');
  const facts = sessionFacts([], 'cc-iso run (bench)');
  return async (records) => {
    const started = performance.now();
    const file = buildResultsFile(facts, records, false);
    await writeFile(join(dir, 'results.json'), exportContent(file, 'json'));
    await writeFile(join(dir, 'RESULTS.md'), exportContent(file, 'markdown'));
    return performance.now() - started;
  };
}

export const records = (count: number) => Array.from({ length: count }, (_, index) => syntheticRecord(index));

/**
 * The cost of rewriting the exports as a session grows, calling the export module directly:
 * per rewrite at 10 to 500 records, and all the rewrites of a session of `sessionRuns` runs.
 */
export async function exportsCase(config: BenchConfig): Promise<BenchReport> {
  const rewrite = rewriter();
  const perSize = new Map(SIZES.map((size) => [size, [] as number[]]));
  // Warm, so the first sizes do not pay for compiling the export code.
  for (const size of SIZES) await rewrite(records(size));
  for (let round = 0; round < config.calls; round++) {
    for (const size of SIZES) perSize.get(size)!.push(await rewrite(records(size)));
  }
  // A whole session: after its first run, after its second, … after its last.
  const all = records(config.sessionRuns);
  let session = 0;
  for (let done = 1; done <= all.length; done++) session += await rewrite(all.slice(0, done));

  const perRecord = (size: number) => (median(perSize.get(size)!) ?? 0) / size;
  const [large, small] = [SIZES.at(-1)!, SIZES.at(-2)!];
  const growth = perRecord(large) / perRecord(small);
  return {
    name: `Results file rewrite (JSON + Markdown to files), the export module called directly, ${config.calls} calls per size`,
    metrics: [
      ...tableMetrics(
        benchTable(
          ['records', 'one rewrite (median ±σ [min–max])', 'per record'],
          SIZES.map((size) => [String(size), describeSample(perSize.get(size)!), `${(perRecord(size) * 1000).toFixed(0)} µs`]),
          new Set([0, 1, 2]),
        ),
      ),
      ['', `all ${config.sessionRuns} rewrites of a ${config.sessionRuns}-run session (one after each run): ${Math.round(session)} ms`],
    ],
    floors: [
      {
        label: `one rewrite grows linearly with the records: per record at ${large} ${growth.toFixed(2)}× that at ${small} (quadratic: ${large / small}×; floor ≤ ${LINEAR_SLACK.toFixed(1)}×)`,
        ok: growth <= LINEAR_SLACK,
      },
    ],
  };
}
