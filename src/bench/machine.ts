import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
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
