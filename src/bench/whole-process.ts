import { benchTable } from './report.js';
import { imageExists, planImage } from '../runtimes/image.js';
import { alternate, CLI, cliEnv, imageInputs, timeProcess, type BenchConfig, type Engine } from './harness.js';
import { describeSample, formatRatio, median, pairedRatios, tableMetrics, type BenchReport } from './report.js';

const SERIES = 10;
/** Floors from issue 12: one run, and a series of ten, against the bare engine doing the same. */
const SINGLE_FLOOR = 1.3;
const SERIES_FLOOR = 1.1;

interface Pair {
  what: string;
  ours: number[];
  bare: number[];
  floor: number;
}

/**
 * cc-iso as a user feels it: the whole `node dist/bin/cc-iso.js run …` process, timed from outside
 * (spawn to exit), against the bare engine's `run --rm --init IMAGE true` on the same image.
 * Every round runs both sides back to back, in turns, and the ratio is taken per round.
 */
export async function wholeProcessCase(config: BenchConfig, engines: readonly Engine[]): Promise<BenchReport> {
  const plan = planImage(imageInputs());
  const env = cliEnv();
  const ours = (engine: Engine, runs: number) => {
    const series = runs > 1 ? ['--runs', String(runs), '--sequential'] : [];
    return timeProcess(process.execPath, [CLI, 'run', '--mode', engine, '--workload', 'command', ...series, '--', 'true'], { env });
  };
  const bare = async (engine: Engine, runs: number) => {
    let total = 0;
    for (let run = 0; run < runs; run++) total += await timeProcess(engine, ['run', '--rm', '--init', plan.tag, 'true']);
    return total;
  };

  const pairs: Pair[] = [];
  for (const engine of engines) {
    // The first cc-iso run builds the image when it is missing; both sides then start warm.
    await ours(engine, 1);
    if (!(await imageExists(engine, plan.tag))) throw new Error(`${engine}: cc-iso did not build ${plan.tag}: the bench computes another tag than cc-iso`);
    await bare(engine, 1);
    pairs.push({ what: `one run, ${engine}`, ours: [], bare: [], floor: SINGLE_FLOOR });
    pairs.push({ what: `${SERIES} runs --sequential, ${engine}`, ours: [], bare: [], floor: SERIES_FLOOR });
  }
  const measure = async (round: number, pair: Pair, engine: Engine, runs: number) => {
    for (const side of alternate(round, ['ours', 'bare'] as const)) {
      pair[side].push(await (side === 'ours' ? ours : bare)(engine, runs));
    }
  };
  for (let round = 0; round < config.rounds; round++) {
    for (const [index, engine] of engines.entries()) await measure(round, pairs[index * 2]!, engine, 1);
  }
  for (let round = 0; round < config.seriesRounds; round++) {
    for (const [index, engine] of engines.entries()) await measure(round, pairs[index * 2 + 1]!, engine, SERIES);
  }

  const rows = pairs.map((pair) => [
    pair.what,
    describeSample(pair.ours),
    describeSample(pair.bare),
    describeSample(pairedRatios(pair.ours, pair.bare), 'ratio'),
  ]);
  return {
    name:
      `Whole process, wall clock from outside (spawn to exit): cc-iso vs the bare engine, image ${plan.tag}\n` +
      `  ${config.rounds} rounds of one run, ${config.seriesRounds} of ${SERIES}; cc-iso and bare in turns within each round; ` +
      `median ±σ [min–max]; ratio per round`,
    metrics: tableMetrics(
      benchTable(
        ['what', 'cc-iso run --workload command -- true', 'bare: ENGINE run --rm --init IMAGE true', 'ratio cc-iso / bare'],
        rows,
        new Set([1, 2, 3]),
      ),
    ),
    floors: pairs.map((pair) => {
      const ratio = median(pairedRatios(pair.ours, pair.bare)) ?? Infinity;
      return { label: `${pair.what}: ${formatRatio(ratio)} the bare engine (floor ≤ ${formatRatio(pair.floor)})`, ok: ratio <= pair.floor };
    }),
  };
}
