import { join } from 'node:path';
import { execa } from 'execa';
import { packageRoot } from '../config/paths.js';
import { CLI, cliEnv, timeProcess, type BenchConfig } from './harness.js';
import { describeSample, median, type BenchReport } from './report.js';

const COLUMNS = 160;
const ROWS = 45;
/** The title bar's words once detection is over and the choose screen is drawn (app/screens/TitleBar.tsx). */
const CHOOSE_READY = 'choose what to run';
const DETECT_FLOOR_MS = 250;
const FIRST_FRAME_FLOOR_MS = 250;
const CHOOSE_FLOOR_MS = 500;

interface AppStart {
  firstByte: number | null;
  firstText: number | null;
  ready: number | null;
  exit: number | null;
}

/**
 * `cc-iso detect`, and the interactive app through a real pseudo-terminal (scripts/pty-timer.py,
 * 160×45) on this machine's real engines: the first byte it writes, the first visible text, and
 * when the choose screen is drawn (every mode detected). Rounds alternate the two.
 */
export async function appStartCase(config: BenchConfig): Promise<BenchReport> {
  const env = cliEnv();
  const python = await execa('python3', ['--version'], { reject: false, stdin: 'ignore' });
  const detect: number[] = [];
  const starts: AppStart[] = [];
  const timeApp = async () => {
    const script = join(packageRoot(), 'scripts', 'pty-timer.py');
    const args = [script, String(COLUMNS), String(ROWS), CHOOSE_READY, '30', '--', process.execPath, CLI];
    const result = await execa('python3', args, { env, stdin: 'ignore' });
    const start = JSON.parse(String(result.stdout)) as AppStart;
    if (start.ready === null) throw new Error(`the app did not show its choose screen within 30 s (exit ${start.exit})`);
    return start;
  };
  // Once each before measuring: Node's compile cache and the engines' own caches are warm, as on a second start.
  await timeProcess(process.execPath, [CLI, 'detect', '--local'], { env });
  if (python.exitCode === 0) await timeApp();
  for (let round = 0; round < config.rounds; round++) {
    detect.push(await timeProcess(process.execPath, [CLI, 'detect', '--local'], { env }));
    if (python.exitCode === 0) starts.push(await timeApp());
  }
  // Targets answer over the network (an ssh target in seconds): shown, not held to the floor.
  const listed = await execa(process.execPath, [CLI, 'detect', '--json'], { env, stdin: 'ignore' });
  const targets = (JSON.parse(String(listed.stdout)) as { targets: unknown[] }).targets.length;
  const withTargets: number[] = [];
  for (let round = 0; round < Math.min(3, config.rounds) && targets > 0; round++) {
    withTargets.push(await timeProcess(process.execPath, [CLI, 'detect'], { env }));
  }
  const of = (key: keyof AppStart) => starts.map((start) => start[key]).filter((value): value is number => value !== null);
  const floors: BenchReport['floors'] = [
    { label: `cc-iso detect --local: ${describeSample(detect)} (floor ≤ ${DETECT_FLOOR_MS} ms)`, ok: (median(detect) ?? Infinity) <= DETECT_FLOOR_MS },
  ];
  if (python.exitCode === 0) {
    floors.push(
      { label: `the app's first frame: ${describeSample(of('firstByte'))} (floor ≤ ${FIRST_FRAME_FLOOR_MS} ms)`, ok: (median(of('firstByte')) ?? Infinity) <= FIRST_FRAME_FLOOR_MS },
      { label: `the app's choose screen ready: ${describeSample(of('ready'))} (floor ≤ ${CHOOSE_FLOOR_MS} ms)`, ok: (median(of('ready')) ?? Infinity) <= CHOOSE_FLOOR_MS },
    );
  } else {
    floors.push({ label: 'the app: not measured, python3 (for its pseudo-terminal) is not installed', ok: false });
  }
  return {
    name: `Detection and the app's start, whole process, ${config.rounds} rounds (median ±σ [min–max])`,
    metrics: [
      ['cc-iso detect --local (this machine\'s modes)', describeSample(detect)],
      ...(targets > 0 ? [[`cc-iso detect with its ${targets} targets (network, no floor)`, describeSample(withTargets)] as [string, string]] : []),
      [`app: first byte on the terminal (${COLUMNS}×${ROWS})`, describeSample(of('firstByte'))],
      ['app: first visible text', describeSample(of('firstText'))],
      ['app: choose screen ready (every mode detected)', describeSample(of('ready'))],
    ],
    floors,
  };
}
