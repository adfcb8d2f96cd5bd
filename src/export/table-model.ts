import { formatDuration } from '../domain/duration.js';
import type { RunRecord } from '../domain/results.js';
import { tableOf, type TableModel } from '../domain/table.js';
import { placementLabel } from '../domain/targets.js';
import { yesNo } from './format.js';

/** One column of the results table: every renderer (terminal, app, Markdown) reads this list. */
export interface Column {
  key: string;
  header: string;
  numeric: boolean;
  /** Columns a narrow screen keeps. */
  essential: boolean;
  cell(record: RunRecord): string;
}

export const RESULT_COLUMNS: Column[] = [
  { key: 'mode', header: 'mode', numeric: false, essential: true, cell: (r) => placementLabel({ mode: r.mode, target: r.target ?? null }) },
  { key: 'run', header: 'run', numeric: false, essential: true, cell: (r) => `${r.warmup ? 'w' : '#'}${r.iteration}` },
  { key: 'status', header: 'status', numeric: false, essential: true, cell: (r) => r.status },
  { key: 'prepare', header: 'prepare', numeric: true, essential: false, cell: (r) => formatDuration(r.timings.prepareMs) },
  { key: 'startup', header: 'startup', numeric: true, essential: true, cell: (r) => formatDuration(r.timings.startupMs) },
  { key: 'firstOutput', header: 'first out', numeric: true, essential: false, cell: (r) => formatDuration(r.timings.firstOutputMs) },
  { key: 'total', header: 'total', numeric: true, essential: true, cell: (r) => formatDuration(r.timings.totalMs) },
  { key: 'exitLag', header: 'exit lag', numeric: true, essential: false, cell: (r) => formatDuration(r.timings.exitLagMs) },
  { key: 'cleanup', header: 'cleanup', numeric: true, essential: false, cell: (r) => formatDuration(r.timings.cleanupMs) },
  { key: 'headless', header: 'headless', numeric: false, essential: false, cell: (r) => yesNo(r.findings.headless) },
  {
    key: 'workspace', header: 'workspace', numeric: false, essential: true,
    cell: (r) => {
      const sync = r.findings.workspaceSync;
      if (sync.ok === null) return '–';
      return sync.ok ? `ok ${sync.owner?.split(' ')[0] ?? ''}`.trim() : 'no';
    },
  },
  { key: 'registry', header: 'npm', numeric: false, essential: false, cell: (r) => yesNo(r.findings.network.registry, 'ok', 'no') },
  { key: 'blocked', header: 'blocked host', numeric: false, essential: false, cell: blockedCell },
  { key: 'credential', header: 'token inside', numeric: false, essential: false, cell: (r) => yesNo(r.findings.credentialExposed, 'exposed', 'hidden') },
  {
    key: 'kernel', header: 'kernel', numeric: false, essential: true,
    // The version tells kernels apart: gVisor reports its own (4.4.0), a microVM its guest's.
    cell: (r) => (r.findings.kernel.isolated === null ? '–' : r.findings.kernel.isolated ? `own ${r.findings.kernel.inside ?? ''}`.trim() : 'host'),
  },
];

/** "blocked (policy)" when a proxy refused the host, "blocked (no route)" when nothing answered. */
function blockedCell(record: RunRecord): string {
  const { blockedHost, blockedBy } = record.findings.network;
  if (blockedHost === null) return '–';
  if (blockedHost === 'reachable' || blockedBy === null) return blockedHost;
  return `blocked (${blockedBy === 'policy' ? 'policy' : 'no route'})`;
}

export function tableModel(records: RunRecord[], columns: Column[] = RESULT_COLUMNS): TableModel {
  return tableOf(
    columns.map((column) => column.header),
    records.map((record) => columns.map((column) => column.cell(record))),
    new Set(columns.flatMap((column, index) => (column.numeric ? [index] : []))),
  );
}
