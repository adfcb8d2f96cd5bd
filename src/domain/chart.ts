import { formatDuration } from './duration.js';
import { isBaseline, type ModeId } from './modes.js';
import type { ModeSummary, RunRecord, Statistic } from './results.js';
import { placementLabel } from './targets.js';

/**
 * The results as pictures: per mode, bars of the median startup, first output and total on one
 * shared scale (whiskers from min to max with several runs), and per run its phases on a time
 * axis. Both come out as lines of coloured segments, so the terminal, RESULTS.md (plain text in a
 * code block) and the SVG all draw the same thing. Pure.
 */

export type ChartColour = 'green' | 'cyan' | 'magenta' | 'yellow' | 'blue' | 'red' | 'gray';

export interface Segment {
  text: string;
  colour?: ChartColour;
  dim?: boolean;
  bold?: boolean;
}

export type ChartLine = Segment[];

export const CHART_MEASURES = [
  { key: 'startupMs', label: 'startup', colour: 'cyan' },
  { key: 'firstOutputMs', label: 'first output', colour: 'magenta' },
  { key: 'totalMs', label: 'total', colour: 'yellow' },
] as const satisfies readonly { key: keyof ModeSummary; label: string; colour: ChartColour }[];

export interface ChartBar {
  label: string;
  colour: ChartColour;
  stat: Statistic;
}

export interface ChartMode {
  mode: ModeId;
  /** `docker`, or `docker@buildbox` for a mode on another machine's engine. */
  label: string;
  baseline: boolean;
  bars: ChartBar[];
}

export interface ChartModel {
  modes: ChartMode[];
  /** The end of the shared scale: the largest value any bar or whisker reaches. */
  scaleMs: number;
}

/** The modes with a measured run that passed, and the scale they share. */
export function chartModel(summaries: ModeSummary[]): ChartModel {
  const modes = summaries
    .filter((summary) => summary.passed > 0)
    .map((summary) => ({
      mode: summary.mode,
      label: placementLabel({ mode: summary.mode, target: summary.target ?? null }),
      baseline: isBaseline(summary.mode),
      bars: CHART_MEASURES.map(({ key, label, colour }) => ({ label, colour, stat: summary[key] })),
    }));
  const reached = modes.flatMap((mode) => mode.bars.flatMap((bar) => [bar.stat.max ?? 0, bar.stat.median ?? 0]));
  return { modes, scaleMs: Math.max(1, ...reached) };
}

const BAR = '█';
const SPREAD = '▓';
const WHISKER = '─';
const WHISKER_END = '┤';
const MODE_WIDTH = 12;
/** A `mode@target` label is wider than a mode: the name column grows to it, up to this. */
const MAX_LABEL_WIDTH = 28;
const MEASURE_WIDTH = 13;
const VALUE_WIDTH = 9;

/** Rows the chart takes in full: a row per measure and mode, a blank between modes, the axis and the legend. */
export function chartHeight(model: ChartModel): number {
  return model.modes.length === 0 ? 0 : model.modes.length * (CHART_MEASURES.length + 1) + 1;
}

/**
 * The chart in at most `maxRows` rows of `width` columns. When the full chart (a row per measure)
 * does not fit, each mode gets one row (its total); when that does not fit either, modes are left
 * out with a note, so the chart never needs more rows than it is given.
 */
export function chartLines(model: ChartModel, width: number, maxRows = Infinity): ChartLine[] {
  if (model.modes.length === 0 || maxRows < 2) return [];
  const nameWidth = Math.min(MAX_LABEL_WIDTH, Math.max(MODE_WIDTH, ...model.modes.map((mode) => mode.label.length + 3)));
  const barWidth = Math.max(10, width - nameWidth - MEASURE_WIDTH - VALUE_WIDTH - 1);
  const cells = (ms: number | null) => (ms === null ? 0 : Math.round((ms / model.scaleMs) * barWidth));
  const full = chartHeight(model) <= maxRows;
  const lines: ChartLine[] = [];
  for (const [index, mode] of model.modes.entries()) {
    const bars = full ? mode.bars : mode.bars.filter((bar) => bar.label === 'total');
    for (const [row, bar] of bars.entries()) {
      const name = row === 0 ? `${mode.label}${mode.baseline ? ' ◆' : ''}` : '';
      lines.push([
        { text: name.padEnd(nameWidth).slice(0, nameWidth), bold: true, colour: mode.baseline ? 'green' : undefined },
        { text: bar.label.padEnd(MEASURE_WIDTH), dim: true },
        ...barSegments(bar, cells, barWidth),
        { text: ` ${formatDuration(bar.stat.median)}`.padEnd(VALUE_WIDTH + 1) },
      ]);
    }
    // A blank row between modes (a space: an empty row would take no height on screen).
    if (full && index < model.modes.length - 1) lines.push([{ text: ' ' }]);
  }
  const legend: ChartLine = [
    { text: ' '.repeat(nameWidth + MEASURE_WIDTH) },
    { text: `0${' '.repeat(Math.max(1, barWidth - formatDuration(model.scaleMs).length - 1))}${formatDuration(model.scaleMs)}`, dim: true },
  ];
  const note: ChartLine = [
    { text: `${BAR} median  ${SPREAD}${WHISKER}${WHISKER_END} min–max  ◆ baseline`, dim: true },
  ];
  const room = maxRows - 1;
  if (lines.length > room) {
    const shown = lines.slice(0, Math.max(0, room - 1));
    return [...shown, [{ text: `… ${lines.length - shown.length} more chart rows on a taller terminal (t: the timeline)`, dim: true }], legend];
  }
  return lines.length + 2 <= maxRows ? [...lines, legend, note] : [...lines, legend];
}

/** A bar to the median, the spread below it from the minimum, a whisker on to the maximum. */
function barSegments(bar: ChartBar, cells: (ms: number | null) => number, width: number): Segment[] {
  const { median, min, max } = bar.stat;
  const to = Math.max(median === null ? 0 : 1, cells(median));
  const several = bar.stat.n > 1 && min !== null && max !== null;
  const from = several ? Math.min(to, cells(min)) : to;
  const end = several ? Math.max(to, cells(max)) : to;
  const whisker = end > to ? WHISKER.repeat(Math.max(0, end - to - 1)) + WHISKER_END : '';
  return [
    { text: BAR.repeat(from), colour: bar.colour },
    { text: SPREAD.repeat(to - from), colour: bar.colour, dim: true },
    { text: whisker, dim: true },
    { text: ' '.repeat(Math.max(0, width - to - whisker.length)) },
  ];
}

/** A run's phases, in the order they happen. */
export const PHASES = [
  { key: 'prepare', label: 'prepare', glyph: '░', colour: 'blue' },
  { key: 'upload', label: 'upload', glyph: '↑', colour: 'blue' },
  { key: 'steps', label: 'steps', glyph: '·', colour: 'gray' },
  { key: 'startup', label: 'startup', glyph: '▒', colour: 'cyan' },
  { key: 'firstOutput', label: 'first output', glyph: '▓', colour: 'magenta' },
  { key: 'result', label: 'result', glyph: '█', colour: 'yellow' },
  { key: 'exitLag', label: 'exit lag', glyph: '▚', colour: 'red' },
  { key: 'download', label: 'download', glyph: '↓', colour: 'blue' },
  { key: 'cleanup', label: 'cleanup', glyph: '▁', colour: 'green' },
] as const satisfies readonly { key: string; label: string; glyph: string; colour: ChartColour }[];

export type PhaseKey = (typeof PHASES)[number]['key'];

const SHIPPING = new Set<PhaseKey>(['upload', 'download']);

export interface PhaseSpan {
  phase: PhaseKey;
  fromMs: number;
  toMs: number;
}

/**
 * Where a run's time went, from its start: prepare, then the measured step from its spawn
 * (startup, first output, result, exit lag), cleanup after the run. The spawn is placed so the
 * step ends where the run did; steps before it (the probe before Claude) fill the gap. On another
 * machine's engine the workspace upload ends the prepare and its download (the last) ends the run.
 */
export function runPhases(record: RunRecord): PhaseSpan[] {
  const t = record.timings;
  const spans: PhaseSpan[] = [];
  const add = (phase: PhaseKey, fromMs: number, toMs: number | null) => {
    if (toMs !== null && toMs > fromMs) spans.push({ phase, fromMs, toMs });
  };
  const prepare = t.prepareMs ?? 0;
  const upload = t.uploadMs ?? null;
  const download = t.downloadMs ?? null;
  add('prepare', 0, upload === null || t.prepareMs === null ? t.prepareMs : Math.max(0, prepare - upload));
  if (upload !== null) add('upload', Math.max(0, prepare - upload), prepare);
  const stepLength = t.resultMs !== null && t.exitLagMs !== null ? t.resultMs + t.exitLagMs : null;
  const stepEnd = t.totalMs === null ? null : t.totalMs - (download ?? 0);
  const spawn = stepEnd !== null && stepLength !== null ? Math.max(prepare, stepEnd - stepLength) : prepare;
  add('steps', prepare, spawn);
  const moments = [t.startupMs, t.firstOutputMs, t.resultMs].map((ms) => (ms === null ? null : spawn + ms));
  let from = spawn;
  for (const [index, phase] of (['startup', 'firstOutput', 'result'] as const).entries()) {
    const to = moments[index] ?? null;
    if (to === null || to < from) continue;
    add(phase, from, to);
    from = to;
  }
  if (t.resultMs !== null) add('exitLag', spawn + t.resultMs, t.exitLagMs === null ? null : spawn + t.resultMs + t.exitLagMs);
  if (download !== null && stepEnd !== null) add('download', stepEnd, t.totalMs);
  if (t.totalMs !== null) add('cleanup', t.totalMs, t.cleanupMs === null ? null : t.totalMs + t.cleanupMs);
  return spans;
}

/** Each run on one row, its phases drawn on the time axis every run shares; at most `maxRows` rows. */
export function timelineLines(records: RunRecord[], width: number, maxRows = Infinity): ChartLine[] {
  if (records.length === 0 || maxRows < 3) return [];
  const runs = records.map((record) => ({ record, spans: runPhases(record) }));
  const scaleMs = Math.max(1, ...runs.flatMap(({ spans }) => spans.map((span) => span.toMs)));
  const label = (record: RunRecord) =>
    `${placementLabel({ mode: record.mode, target: record.target ?? null })} ${record.warmup ? 'w' : '#'}${record.iteration}`;
  const labelWidth = Math.min(MAX_LABEL_WIDTH + 4, Math.max(16, ...records.map((record) => label(record).length + 1)));
  const barWidth = Math.max(10, width - labelWidth - VALUE_WIDTH - 1);
  const cell = (ms: number) => Math.round((ms / scaleMs) * barWidth);
  const glyphs = new Map(PHASES.map((phase) => [phase.key, phase]));
  const lines: ChartLine[] = runs.map(({ record, spans }) => {
    const segments: Segment[] = [
      { text: label(record).padEnd(labelWidth).slice(0, labelWidth), bold: true },
    ];
    let at = 0;
    for (const span of spans) {
      const from = Math.max(at, cell(span.fromMs));
      const to = Math.max(from, cell(span.toMs));
      if (from > at) segments.push({ text: ' '.repeat(from - at) });
      const phase = glyphs.get(span.phase)!;
      if (to > from) segments.push({ text: phase.glyph.repeat(to - from), colour: phase.colour });
      at = to;
    }
    const end = Math.max(0, ...spans.map((span) => span.toMs));
    segments.push({ text: ' '.repeat(Math.max(0, barWidth - at)) }, { text: ` ${formatDuration(end)}`, dim: record.status !== 'passed' });
    return segments;
  });
  const axis: ChartLine = [
    { text: ' '.repeat(labelWidth) },
    { text: `0${' '.repeat(Math.max(1, barWidth - formatDuration(scaleMs).length - 1))}${formatDuration(scaleMs)}`, dim: true },
  ];
  // Upload and download only where a run shipped its workspace.
  const inLegend = (key: PhaseKey) => !SHIPPING.has(key) || runs.some(({ spans }) => spans.some((span) => span.phase === key));
  const legend: ChartLine = PHASES.filter((phase) => inLegend(phase.key)).flatMap((phase, index) => [
    { text: index === 0 ? '' : '  ' },
    { text: phase.glyph, colour: phase.colour },
    { text: ` ${phase.label}`, dim: true },
  ]);
  const room = maxRows - 2;
  const shown = lines.length > room ? [...lines.slice(0, room - 1), [{ text: `… ${lines.length - room + 1} more runs`, dim: true }]] : lines;
  return [...shown, axis, legend];
}

/** A chart as plain text (RESULTS.md, a terminal without colours). */
export function plainText(lines: ChartLine[]): string {
  return lines.map((line) => line.map((segment) => segment.text).join('').trimEnd()).join('\n');
}
