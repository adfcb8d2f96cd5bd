import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { CLI, cliEnv, scratchDir, type Engine } from './harness.js';
import type { BenchReport } from './report.js';

/** Sub-commands named by two words: `docker image inspect`, `podman container cleanup`. */
const GROUPS = new Set(['image', 'container', 'volume', 'network', 'system', 'machine', 'sandbox']);

/**
 * The programs a strace log shows cc-iso's own process starting (not what those start in turn),
 * by name and sub-command, e.g. `docker ps` → 3. Only successful execve calls count: a PATH
 * search tries several folders first.
 */
export function programsStarted(log: string): Map<string, number> {
  const lines = joinResumed(log.split('\n'));
  const parentOf = new Map<number, number>();
  let root: number | null = null;
  const counts = new Map<string, number>();
  for (const { pid, text } of lines) {
    const clone = /^(?:clone3?|fork|vfork)\(.*\)\s+=\s+(\d+)/.exec(text);
    if (clone && !/CLONE_THREAD/.test(text)) parentOf.set(Number(clone[1]), pid);
    const exec = /^execve\("[^"]*", \[(.*?)\](?:, .*)?\)\s+=\s+0/.exec(text);
    if (!exec) continue;
    if (root === null) {
      root = pid;
      continue;
    }
    if (parentOf.get(pid) !== root) continue;
    const argv = [...exec[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]!);
    const [program = '?', first, second] = [basename(argv[0] ?? '?'), argv[1], argv[2]];
    const name = [program, first && !first.startsWith('-') ? first : null, first && GROUPS.has(first) ? second : null].filter(Boolean).join(' ');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** strace splits a call that another thread interrupted into `… <unfinished ...>` and `<... name resumed>…`. */
function joinResumed(raw: string[]): { pid: number; text: string }[] {
  const pending = new Map<number, string>();
  const lines: { pid: number; text: string }[] = [];
  for (const line of raw) {
    const match = /^(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const pid = Number(match[1]);
    const text = match[2]!;
    if (text.endsWith('<unfinished ...>')) {
      pending.set(pid, text.slice(0, -'<unfinished ...>'.length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(text);
    if (resumed) {
      lines.push({ pid, text: `${pending.get(pid) ?? ''}${resumed[1]}` });
      pending.delete(pid);
    } else {
      lines.push({ pid, text });
    }
  }
  return lines;
}

function describeCounts(counts: Map<string, number>, per = 1): string {
  const entries = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return 'none';
  return entries.map(([name, count]) => `${name} ×${Number.isInteger(count / per) ? count / per : (count / per).toFixed(1)}`).join(', ');
}

/**
 * Which programs a one-run and a ten-run `cc-iso run` start, counted with `strace -f -e execve`
 * from outside: the engine calls behind the bookkeeping (the engines' own helpers not included).
 */
export async function engineCallsCase(engines: readonly Engine[]): Promise<BenchReport> {
  const strace = await execa('strace', ['-V'], { reject: false, stdin: 'ignore' });
  if (strace.exitCode !== 0) {
    return { name: 'Programs a session starts', metrics: [['', 'not measured: strace is not installed']], floors: [] };
  }
  const metrics: BenchReport['metrics'] = [];
  for (const engine of engines) {
    for (const runs of [1, 10]) {
      const log = join(scratchDir('strace'), 'trace.log');
      const series = runs > 1 ? ['--runs', String(runs), '--sequential'] : [];
      const args = ['-f', '-qq', '-e', 'trace=execve,clone,clone3,fork,vfork', '-e', 'signal=none', '-o', log];
      const cli = [process.execPath, CLI, 'run', '--mode', engine, '--workload', 'command', ...series, '--', 'true'];
      const result = await execa('strace', [...args, ...cli], { env: cliEnv(), reject: false, stdin: 'ignore' });
      if (result.exitCode !== 0) throw new Error(`cc-iso under strace failed (${result.exitCode}): ${String(result.stderr).slice(-300)}`);
      const counts = programsStarted(await readFile(log, 'utf8'));
      metrics.push([`${engine}, ${runs} run${runs > 1 ? 's' : ''}`, describeCounts(counts)]);
      if (runs > 1) metrics.push([`${engine}, per run of ${runs}`, describeCounts(counts, runs)]);
    }
  }
  return { name: 'Programs cc-iso run starts itself (strace -f -e execve, counted from outside)', metrics, floors: [] };
}
