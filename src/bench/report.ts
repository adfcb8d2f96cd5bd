/** What one bench case prints: measured values, and the floors it must meet. */
export interface BenchReport {
  name: string;
  metrics: [label: string, value: string][];
  floors: { label: string; ok: boolean }[];
}

export function printReport(report: BenchReport): void {
  const width = Math.max(...report.metrics.map(([label]) => label.length));
  process.stdout.write(`\n${report.name}\n`);
  for (const [label, value] of report.metrics) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
  for (const floor of report.floors) process.stdout.write(`  ${floor.ok ? '✓' : '✗'} ${floor.label}\n`);
}
