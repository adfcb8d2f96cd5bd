import { formatDurationDelta } from '../domain/duration.js';
import { isBaseline } from '../domain/modes.js';
import { placementLabel } from '../domain/targets.js';
import type { ModeSummary, Statistic } from '../domain/results.js';
import { tableOf, type TableModel } from '../domain/table.js';

type Measure = 'startupMs' | 'firstOutputMs' | 'totalMs' | 'exitLagMs';

const MEASURES: { key: Measure; label: string }[] = [
  { key: 'startupMs', label: 'startup' },
  { key: 'firstOutputMs', label: 'first output' },
  { key: 'totalMs', label: 'total' },
  { key: 'exitLagMs', label: 'exit lag' },
];

/**
 * One unit for the whole table (as hyperfine does). Seconds only when every mean is at least a
 * second; otherwise a 4 ms host startup would print as 0.00 s next to a 2 s total.
 */
function chooseUnit(summaries: ModeSummary[]): { name: 'ms' | 's'; scale: number; digits: number } {
  const means = summaries.flatMap((s) => MEASURES.map(({ key }) => s[key].mean)).filter((m): m is number => m !== null);
  return means.length > 0 && Math.min(...means) >= 1000
    ? { name: 's', scale: 1000, digits: 2 }
    : { name: 'ms', scale: 1, digits: 0 };
}

function meanCell(stat: Statistic, scale: number, digits: number): string {
  if (stat.mean === null) return '–';
  const mean = (stat.mean / scale).toFixed(digits);
  return stat.stddev === null ? mean : `${mean} ± ${(stat.stddev / scale).toFixed(digits)}`;
}

function plain(value: number | null, scale: number, digits: number): string {
  return value === null ? '–' : (value / scale).toFixed(digits);
}

/**
 * Per mode: each measure's mean ± σ (σ only with two or more runs), then the startup's median,
 * min and max, and the startup relative to host. Only measured runs that passed count.
 */
export function statisticsTable(summaries: ModeSummary[]): TableModel {
  const unit = chooseUnit(summaries);
  // Remote targets: startup again net of one round trip, so distance is not read as overhead.
  const net = summaries.some((s) => s.startupNetMs);
  const headers = [
    'mode',
    'passed',
    ...MEASURES.map(({ label }) => `${label} [${unit.name}]`),
    ...(net ? [`startup net of round trip [${unit.name}]`] : []),
    'startup median',
    'min',
    'max',
    'startup vs host',
  ];
  const rows = summaries.map((s) => [
    placementLabel({ mode: s.mode, target: s.target ?? null }),
    `${s.passed}/${s.runs}`,
    ...MEASURES.map(({ key }) => meanCell(s[key], unit.scale, unit.digits)),
    ...(net ? [s.startupNetMs ? meanCell(s.startupNetMs, unit.scale, unit.digits) : '–'] : []),
    plain(s.startupMs.median, unit.scale, unit.digits),
    plain(s.startupMs.min, unit.scale, unit.digits),
    plain(s.startupMs.max, unit.scale, unit.digits),
    s.startupVsHost ? ratioText(s.startupVsHost.ratio, s.startupVsHost.ratioStddev) : isBaseline(s.mode) ? 'baseline' : '–',
  ]);
  const numeric = new Set(headers.map((_, index) => index).filter((index) => index >= 1 && index < headers.length - 1));
  return tableOf(headers, rows, numeric);
}

function ratioText(ratio: number, stddev: number | null): string {
  return `${ratio.toFixed(2)}${stddev === null ? '' : ` ± ${stddev.toFixed(2)}`}×`;
}

/** "docker starts 1.82 ± 0.21× slower than host; +310 ms", or null without a host baseline. */
export function relativeStartupLine(summary: ModeSummary): string | null {
  const relative = summary.startupVsHost;
  if (!relative) return null;
  const slower = relative.ratio >= 1;
  const factor = slower ? relative.ratio : 1 / relative.ratio;
  // The uncertainty of 1/r is σ/r² (first-order propagation).
  const spread = relative.ratioStddev === null ? null : slower ? relative.ratioStddev : relative.ratioStddev / relative.ratio ** 2;
  return `${summary.mode} starts ${ratioText(factor, spread)} ${slower ? 'slower' : 'faster'} than host; ${formatDurationDelta(relative.deltaMs)}`;
}
