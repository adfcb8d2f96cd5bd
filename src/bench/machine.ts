import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from './harness.js';
import type { BenchReport } from './report.js';

function firstMatch(file: string, pattern: RegExp): string | null {
  try {
    return pattern.exec(readFileSync(file, 'utf8'))?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

/** One-minute load average: on a shared machine it says how much the figures below are worth. */
export function load(): string {
  return loadavg()[0]!.toFixed(2);
}

/** Idle and total CPU time of every core so far (ms). */
function cpuTimes(): { idle: number; total: number } {
  return cpus().reduce(
    (sum, { times }) => ({ idle: sum.idle + times.idle, total: sum.total + times.user + times.nice + times.sys + times.idle + times.irq }),
    { idle: 0, total: 0 },
  );
}

/**
 * Waits until the machine is quiet again: the CPUs at least 90 % idle over half a second, twice in
 * a row, at most 30 s. The engines go on removing the last case's containers for a while after
 * it ends; measured then, even Node's own start took a third longer. Returns the seconds waited.
 */
export async function settle(): Promise<number> {
  const started = performance.now();
  let quiet = 0;
  while (quiet < 2 && performance.now() - started < 30_000) {
    const before = cpuTimes();
    await sleep(500);
    const after = cpuTimes();
    quiet = (after.idle - before.idle) / Math.max(1, after.total - before.total) >= 0.9 ? quiet + 1 : 0;
  }
  return (performance.now() - started) / 1000;
}

/** The machine the figures were taken on, as the README quotes it. */
export function machineReport(engines: readonly { engine: Engine; version: string }[], quick: boolean): BenchReport {
  const cpu = firstMatch('/proc/cpuinfo', /^model name\s*:\s*(.*)$/m) ?? cpus()[0]?.model ?? 'unknown';
  const system = firstMatch('/etc/os-release', /^PRETTY_NAME="?([^"\n]*)"?$/m) ?? process.platform;
  return {
    name: `cc-iso bench${quick ? ' --quick (a smoke run: too few rounds to quote)' : ''}, ${new Date().toISOString()}`,
    metrics: [
      ['cpu', `${cpu}, ${availableParallelism()} cores`],
      ['system', `${system}, kernel ${release()}`],
      ['node', process.version],
      ['engines', engines.map(({ engine, version }) => `${engine} ${version}`).join(', ') || 'none answering'],
      ['load average at start', load()],
    ],
    floors: [],
  };
}
