import { formatDuration } from '../domain/duration.js';
import type { ResultsFile } from '../domain/results.js';
import { chartModel, type ChartColour } from '../domain/chart.js';

/** The terminal's named colours as an SVG draws them. */
const FILL: Record<ChartColour, string> = {
  green: '#2e9e44',
  cyan: '#1f9bb5',
  magenta: '#b23aa6',
  yellow: '#d29a00',
  blue: '#3b6fd8',
  red: '#d23c3c',
  gray: '#8a8a8a',
};

const WIDTH = 800;
const LABEL = 190;
const VALUE = 80;
const ROW = 20;
const BAR = 14;
const MODE_GAP = 12;
/** Characters of a mode label that fit left of the measure names. */
const LONG_LABEL = 13;

function escape(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The timings chart as an SVG image (`--svg`), for a slide: the same bars as the terminal and
 * RESULTS.md — median startup, first output and total per mode on one scale, min–max whiskers,
 * the baseline marked.
 */
export function renderSvg(file: ResultsFile): string {
  const model = chartModel(file.summary);
  const area = WIDTH - LABEL - VALUE;
  const x = (ms: number | null) => LABEL + ((ms ?? 0) / model.scaleMs) * area;
  const parts: string[] = [];
  let y = 40;
  for (const mode of model.modes) {
    parts.push(
      `<text x="8" y="${y + BAR - 2}" font-weight="bold"${mode.baseline ? ` fill="${FILL.green}"` : ''}>${escape(mode.label)}${mode.baseline ? ' ◆ baseline' : ''}</text>`,
    );
    // A `mode@target` label would run into the measure names: its bars start on the row below.
    if (mode.label.length > LONG_LABEL) y += ROW;
    for (const bar of mode.bars) {
      const { median, min, max, n } = bar.stat;
      parts.push(`<text x="100" y="${y + BAR - 2}" fill="#666">${escape(bar.label)}</text>`);
      if (median !== null) {
        parts.push(`<rect x="${LABEL}" y="${y}" width="${(x(median) - LABEL).toFixed(1)}" height="${BAR}" fill="${FILL[bar.colour]}"/>`);
      }
      if (n > 1 && min !== null && max !== null) {
        const mid = y + BAR / 2;
        parts.push(
          `<line x1="${x(min).toFixed(1)}" y1="${mid}" x2="${x(max).toFixed(1)}" y2="${mid}" stroke="#222" stroke-width="1.5"/>`,
          ...[min, max].map((end) => `<line x1="${x(end).toFixed(1)}" y1="${y + 2}" x2="${x(end).toFixed(1)}" y2="${y + BAR - 2}" stroke="#222" stroke-width="1.5"/>`),
        );
      }
      parts.push(`<text x="${WIDTH - VALUE + 8}" y="${y + BAR - 2}">${escape(formatDuration(median))}</text>`);
      y += ROW;
    }
    y += MODE_GAP;
  }
  const height = y + 24;
  const title = model.modes.length > 0 ? 'cc-iso: median timings per mode (whiskers: min–max)' : 'cc-iso: no run passed';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...parts,
    `<line x1="${LABEL}" y1="${y}" x2="${LABEL + area}" y2="${y}" stroke="#999"/>`,
    `<text x="${LABEL}" y="${y + 16}" fill="#666">0</text>`,
    `<text x="${LABEL + area}" y="${y + 16}" fill="#666" text-anchor="end">${escape(formatDuration(model.scaleMs))}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
