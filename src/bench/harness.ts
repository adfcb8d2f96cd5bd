import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type Options } from 'execa';
import { packageRoot } from '../config/paths.js';
import { DEFAULT_BASE_IMAGE, DEFAULT_CLAUDE_VERSION } from '../config/options.js';
import type { ImageInputs } from '../runtimes/types.js';
import type { BenchReport } from './report.js';

/** The bench's cases, by the name `--only` takes. */
export const BENCH_CASES = ['whole-process', 'app-start', 'session', 'engine-calls', 'bookkeeping', 'exports', 'engine-clock', 'flood'] as const;
export type BenchCase = (typeof BENCH_CASES)[number];

/** How much the bench repeats; `--quick` is a smoke run whose figures are not for quoting. */
export interface BenchConfig {
  quick: boolean;
  /** The cases to run (`--only a,b`; all by default). */
  cases: readonly BenchCase[];
  /** Interleaved rounds of each single measure (one run, detect, the app's start). */
  rounds: number;
  /** Rounds of the ten-run series: each is already the sum of ten runs, so fewer rounds hold its median steady. */
  seriesRounds: number;
  /** Runs in the long session (memory, export rewrites). */
  sessionRuns: number;
  /** Calls of each bookkeeping phase. */
  calls: number;
  floodSeconds: number;
}

const USAGE = `npm run bench [-- --quick] [-- --only ${BENCH_CASES.join(',')}]`;

export function benchConfig(argv: readonly string[]): BenchConfig {
  let cases: readonly BenchCase[] = BENCH_CASES;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') quick = true;
    else if (argv[i] === '--only' && argv[i + 1]) {
      const asked = argv[++i]!.split(',');
      const unknown = asked.filter((name) => !(BENCH_CASES as readonly string[]).includes(name));
      if (unknown.length > 0) throw new Error(`unknown bench case ${unknown.join(', ')}; ${USAGE}`);
      cases = asked as BenchCase[];
    } else throw new Error(`unknown argument ${argv[i]}; ${USAGE}`);
  }
  return quick
    ? { quick, cases, rounds: 3, seriesRounds: 2, sessionRuns: 20, calls: 3, floodSeconds: 2 }
    : { quick, cases, rounds: 12, seriesRounds: 6, sessionRuns: 100, calls: 12, floodSeconds: 10 };
}

export type Engine = 'docker' | 'podman';
export const ENGINES: readonly Engine[] = ['docker', 'podman'];

/** The built CLI, started as a user starts it: `node dist/bin/cc-iso.js …` (the bundle `bin` names). */
export const CLI = join(packageRoot(), 'dist', 'bin', 'cc-iso.js');

/** What cc-iso builds its image from: the same inputs give the same tag (runtimes/image.ts). */
export function imageInputs(): ImageInputs {
  return { baseImage: process.env.CC_ISO_BASE_IMAGE || DEFAULT_BASE_IMAGE, claudeVersion: DEFAULT_CLAUDE_VERSION };
}

/** cc-iso's environment in the bench: saved choices of the person running it must not change the runs. */
export function cliEnv(): Record<string, string> {
  return { CC_ISO_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'cc-iso-bench-config-')) };
}

export function scratchDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `cc-iso-bench-${name}-`));
}

/**
 * Wall-clock milliseconds of a whole process, spawn to exit, as hyperfine measures it. The output
 * is kept only to explain a failure, which stops the bench: a figure from a failed run is no figure.
 */
export async function timeProcess(file: string, args: string[], options: Options = {}): Promise<number> {
  const started = performance.now();
  const result = await execa(file, args, { reject: false, stdin: 'ignore', ...options });
  const elapsed = performance.now() - started;
  if (result.exitCode !== 0) {
    const tail = `${String(result.stderr ?? '')}\n${String(result.stdout ?? '')}`.trim().split('\n').slice(-5).join(' / ');
    throw new Error(`${[file, ...args].join(' ')} failed (${result.exitCode ?? result.signal}): ${tail}`);
  }
  return elapsed;
}

/** A case run by a Node process of its own (`dist/bench/<entry>`), which prints its report as JSON. */
export async function caseApart(entry: string, args: string[]): Promise<BenchReport> {
  const result = await execa(process.execPath, [join(packageRoot(), 'dist', 'bench', entry), ...args], { stdin: 'ignore', stderr: 'inherit' });
  return JSON.parse(String(result.stdout)) as BenchReport;
}

/** The engines that answer here, each with its version; the others are left out of the bench. */
export async function answeringEngines(): Promise<{ engine: Engine; version: string }[]> {
  const found: { engine: Engine; version: string }[] = [];
  for (const engine of ENGINES) {
    const format = engine === 'docker' ? '{{.Server.Version}}' : '{{.Version}}';
    const result = await execa(engine, ['version', '--format', format], { reject: false, stdin: 'ignore' });
    if (result.exitCode === 0) found.push({ engine, version: String(result.stdout).trim() });
  }
  return found;
}

/** Which of two goes first in a round: in turn, so neither always runs on a machine the other just warmed. */
export function alternate<T>(round: number, pair: readonly [T, T]): readonly [T, T] {
  return round % 2 === 0 ? pair : [pair[1], pair[0]];
}
