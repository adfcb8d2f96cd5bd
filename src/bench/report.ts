import { summarize } from '../domain/stats.js';
import { tableOf } from '../domain/table.js';
import { textTable } from '../export/format.js';

/** A plain text table of the bench's figures. */
export function benchTable(headers: string[], rows: string[][], numericColumns: Set<number>): string {
  return textTable(tableOf(headers, rows, numericColumns));
}

/** What one bench case prints: measured values, and the floors it must meet. */
export interface BenchReport {
  name: string;
  metrics: [label: string, value: string][];
  floors: Floor[];
}

export interface Floor {
  label: string;
  ok: boolean;
}

/** A metric row per line of a text table (its header and rule included), under an empty label. */
export function tableMetrics(table: string): BenchReport['metrics'] {
  return table.split('\n').map((line) => ['', line]);
}

export function printReport(report: BenchReport): void {
  const width = Math.max(0, ...report.metrics.map(([label]) => label.length));
  process.stdout.write(`\n${report.name}\n`);
  for (const [label, value] of report.metrics) process.stdout.write(`  ${label ? `${label.padEnd(width)}  ` : ''}${value}\n`);
  for (const floor of report.floors) process.stdout.write(`  ${floor.ok ? '✓' : '✗'} ${floor.label}\n`);
}

/** Every floor of every case, once more at the end: what the bench is judged by. */
export function printFloors(reports: BenchReport[]): boolean {
  const floors = reports.flatMap((report) => report.floors);
  process.stdout.write(`\nFloors: ${floors.filter((floor) => floor.ok).length} of ${floors.length} met\n`);
  for (const floor of floors) process.stdout.write(`  ${floor.ok ? '✓' : '✗'} ${floor.label}\n`);
  return floors.every((floor) => floor.ok);
}

export type Quantity = 'ms' | 'ratio' | 'MB';

/**
 * "412 ms ±17 [398–455]": median, sample standard deviation and range, all in the median's unit
 * (milliseconds below a second, seconds above).
 */
export function describeSample(values: readonly number[], quantity: Quantity = 'ms'): string {
  const stats = summarize(values);
  if (stats.mean === null) return '–';
  const { unit, digits, scale } = unitFor(quantity, stats.median);
  const number = (value: number) => (value / scale).toFixed(digits);
  const spread = stats.stddev === null ? '' : ` ±${number(stats.stddev)}`;
  return `${number(stats.median)}${unit}${spread} [${number(stats.min)}–${number(stats.max)}]`;
}

function unitFor(quantity: Quantity, median: number): { unit: string; digits: number; scale: number } {
  if (quantity === 'ratio') return { unit: '×', digits: 2, scale: 1 };
  if (quantity === 'MB') return { unit: ' MB', digits: 0, scale: 1 };
  return median >= 1000 ? { unit: ' s', digits: 2, scale: 1000 } : { unit: ' ms', digits: median < 10 ? 1 : 0, scale: 1 };
}

/** A ratio as it is printed: "1.23×". */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/**
 * Round by round, ours over theirs. Measured in the same round, both saw the same machine, so a
 * ratio per round cancels the drift of a shared machine that a ratio of two medians keeps.
 */
export function pairedRatios(ours: readonly number[], theirs: readonly number[]): number[] {
  if (ours.length !== theirs.length) throw new Error(`paired samples differ in size: ${ours.length} and ${theirs.length}`);
  return ours.map((value, round) => value / theirs[round]!);
}

/** The median of a sample, or null when there is none. */
export function median(values: readonly number[]): number | null {
  return summarize(values).median;
}
