import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { summarize } from '../domain/stats.js';
import { formatDuration as formatMs } from '../domain/duration.js';
import { CLI, cliEnv, scratchDir, type BenchConfig, type Engine } from './harness.js';
import type { BenchReport } from './report.js';

const POLL_MS = 50;
/** Flat memory: the last quarter of a long session may use at most this much more than its second quarter. */
const GROWTH_FLOOR = 1.2;

interface Sample {
  at: number;
  rssMb: number;
}

/** VmRSS and VmHWM (the peak so far) of a live process, in MB; null once it is gone. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number } | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = (name: string) => Number(status?.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  if (status === null || Number.isNaN(kb('VmRSS'))) return null;
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * A long session, `cc-iso run --runs N --workload command --json FILE -- true` on one engine, as
 * a user starts it; its memory read from /proc every 50 ms: the peak, and the resident size in
 * the second and the last quarter of the session (flat memory keeps them alike).
 */
export async function sessionCase(config: BenchConfig, engine: Engine): Promise<BenchReport> {
  const results = join(scratchDir('session'), 'results.json');
  const args = [CLI, 'run', '--mode', engine, '--workload', 'command', '--runs', String(config.sessionRuns), '--json', results, '--', 'true'];
  const started = performance.now();
  const child = execa(process.execPath, args, { env: cliEnv(), reject: false, stdin: 'ignore' });
  let running = true;
  void child.then(() => {
    running = false;
  });
  const samples: Sample[] = [];
  let peak = 0;
  while (running && child.pid !== undefined) {
    const memory = await memoryOf(child.pid);
    if (memory) {
      samples.push({ at: performance.now() - started, rssMb: memory.rss });
      peak = Math.max(peak, memory.peak);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const result = await child;
  const elapsed = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`the ${config.sessionRuns}-run session failed (${result.exitCode}): ${String(result.stderr).slice(-500)}`);
  const file = JSON.parse(await readFile(results, 'utf8')) as { runs: unknown[] };
  const quarter = (from: number) => summarize(samples.filter((s) => s.at >= (from * elapsed) / 4 && s.at < ((from + 1) * elapsed) / 4).map((s) => s.rssMb)).median ?? 0;
  const [second, last] = [quarter(1), quarter(3)];
  return {
    name: `A session of ${config.sessionRuns} runs on ${engine}: cc-iso run --runs ${config.sessionRuns} --workload command --json FILE -- true`,
    metrics: [
      ['whole session', `${formatMs(elapsed)}, ${formatMs(elapsed / config.sessionRuns)} per run; ${file.runs.length} runs in the results file`],
      ['peak RSS (VmHWM)', `${peak.toFixed(0)} MB`],
      ['RSS, median of each quarter', `second ${second.toFixed(0)} MB, last ${last.toFixed(0)} MB (${samples.length} samples)`],
    ],
    floors: [
      {
        label: `memory stays flat over ${config.sessionRuns} runs: last quarter ${(last / second).toFixed(2)}× the second (floor ≤ ${GROWTH_FLOOR}×)`,
        ok: last <= second * GROWTH_FLOOR,
      },
    ],
  };
}
