import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyTimings, type RunRecord } from '../../src/domain/results.js';
import { chartHeight, chartLines, chartModel, plainText, runPhases, timelineLines } from '../../src/domain/chart.js';
import { exportContent } from '../../src/export/export-files.js';
import { summarizeModes } from '../../src/export/results-file.js';
import { parseRecording } from '../../src/recording/record-file.js';

/** Real results: the probe in host, Docker and Podman, two runs each, recorded on this machine. */
const results = parseRecording(
  readFileSync(new URL('../fixtures/recordings/probe-host-docker-podman.ndjson', import.meta.url), 'utf8'),
).results!;

const width = (line: string) => [...line].length;

describe('the timings chart', () => {
  it('draws every mode on one scale: bars to the median, whiskers to the max, the baseline marked', () => {
    const model = chartModel(results.summary);
    expect(model.modes.map((mode) => `${mode.mode}${mode.baseline ? ' (baseline)' : ''}`)).toEqual(['host (baseline)', 'docker', 'podman']);
    // The scale ends at the slowest total: podman's max.
    expect(model.scaleMs).toBe(results.summary.find((s) => s.mode === 'podman')!.totalMs.max);
    const text = plainText(chartLines(model, 80)).split('\n');
    expect(text.every((line) => width(line) <= 80)).toBe(true);
    expect(text).toHaveLength(chartHeight(model));
    const bar = (mode: string, measure: string) => {
      const index = text.findIndex((line) => line.startsWith(mode));
      const line = text.slice(index).find((l) => l.includes(measure))!;
      return line.slice(25, 25 + 45);
    };
    const cells = (part: string) => [...part].filter((c) => c === '█' || c === '▓').length;
    // podman's median total (6.95 s) is about 94% of the 7.41 s scale (45 cells at 80 columns); its whisker ends at the scale's end.
    expect(cells(bar('podman', 'total'))).toBe(Math.round((6946 / 7410) * 45));
    expect(bar('podman', 'total').trimEnd().endsWith('┤')).toBe(true);
    expect([...bar('podman', 'total').trimEnd()]).toHaveLength(45);
    expect(cells(bar('docker', 'startup'))).toBe(Math.round((1666 / 7410) * 45));
    expect(text[0]).toMatch(/^host ◆ +startup/);
    expect(text.join('\n')).toContain('◆ baseline');
  });

  it('never takes more rows than it is given: one row per mode, then fewer modes with a note', () => {
    const model = chartModel(results.summary);
    expect(chartLines(model, 80, 5).map((line) => line.map((s) => s.text).join(''))).toEqual([
      expect.stringMatching(/^host ◆ +total +█+/),
      expect.stringMatching(/^docker +total/),
      expect.stringMatching(/^podman +total/),
      expect.stringMatching(/^ +0 +7\.41 s$/),
      expect.stringContaining('min–max'),
    ]);
    const trimmed = chartLines(model, 80, 3);
    expect(trimmed).toHaveLength(3);
    expect(plainText(trimmed)).toMatch(/… 2 more chart rows/);
    expect(chartLines(model, 80, 1)).toEqual([]);
    for (const rows of [2, 4, 6, 9, 12, 20]) expect(chartLines(model, 80, rows).length).toBeLessThanOrEqual(rows);
  });

  it('leaves out modes without a run that passed', () => {
    const failed = results.runs.map((run) => (run.mode === 'docker' ? { ...run, status: 'failed' as const } : run));
    expect(chartModel(summarizeModes(failed)).modes.map((mode) => mode.mode)).toEqual(['host', 'podman']);
    expect(chartLines(chartModel([]), 80)).toEqual([]);
  });
});

describe('the run timeline', () => {
  const record = (timings: Partial<RunRecord['timings']>): RunRecord => ({ ...results.runs[0]!, timings: { ...emptyTimings(), ...timings } });

  it('places each phase from the run\'s start: prepare, earlier steps, startup … exit lag, then cleanup', () => {
    const spans = runPhases(
      record({ prepareMs: 100, startupMs: 200, firstOutputMs: 300, resultMs: 700, exitLagMs: 50, totalMs: 1000, cleanupMs: 80 }),
    );
    // The measured step ends with the run (1000 ms), so it was spawned at 1000 − 750 = 250 ms.
    expect(spans).toEqual([
      { phase: 'prepare', fromMs: 0, toMs: 100 },
      { phase: 'steps', fromMs: 100, toMs: 250 },
      { phase: 'startup', fromMs: 250, toMs: 450 },
      { phase: 'firstOutput', fromMs: 450, toMs: 550 },
      { phase: 'result', fromMs: 550, toMs: 950 },
      { phase: 'exitLag', fromMs: 950, toMs: 1000 },
      { phase: 'cleanup', fromMs: 1000, toMs: 1080 },
    ]);
    // A run stopped before its result has what it measured, nothing more.
    expect(runPhases(record({ prepareMs: 100, totalMs: 400, cleanupMs: 20 })).map((span) => span.phase)).toEqual(['prepare', 'cleanup']);
  });

  it('on another machine\'s engine, shows the workspace upload ending the prepare and its download ending the run', () => {
    const remote = { ...record({ prepareMs: 300, uploadMs: 120, startupMs: 200, firstOutputMs: 200, resultMs: 500, exitLagMs: 50, downloadMs: 90, totalMs: 1000, cleanupMs: 40 }), mode: 'docker' as const, target: 'buildbox' };
    expect(runPhases(remote)).toEqual([
      { phase: 'prepare', fromMs: 0, toMs: 180 },
      { phase: 'upload', fromMs: 180, toMs: 300 },
      { phase: 'steps', fromMs: 300, toMs: 360 },
      { phase: 'startup', fromMs: 360, toMs: 560 },
      { phase: 'result', fromMs: 560, toMs: 860 },
      { phase: 'exitLag', fromMs: 860, toMs: 910 },
      { phase: 'download', fromMs: 910, toMs: 1000 },
      { phase: 'cleanup', fromMs: 1000, toMs: 1040 },
    ]);
    const text = plainText(timelineLines([remote], 80)).split('\n');
    expect(text[0]).toMatch(/^docker@buildbox #1 +░+↑+·*▒+█+▚*↓+▁*/);
    expect(text.at(-1)).toContain('↑ upload');
    expect(text.at(-1)).toContain('↓ download');
  });

  it('draws every run on the axis they share, within the width and the rows', () => {
    const text = plainText(timelineLines(results.runs, 80)).split('\n');
    expect(text).toHaveLength(results.runs.length + 2);
    expect(text.every((line) => width(line) <= 80)).toBe(true);
    expect(text[0]).toMatch(/^host #1 +[░▒█▁]+ +3\.92 s$/);
    expect(text.at(-1)).toBe('░ prepare  · steps  ▒ startup  ▓ first output  █ result  ▚ exit lag  ▁ cleanup');
    const short = timelineLines(results.runs, 80, 5);
    expect(short).toHaveLength(5);
    expect(plainText(short)).toContain('… 4 more runs');
  });
});

describe('--svg', () => {
  it('writes the chart as an SVG image: a bar per measure and mode, whiskers, text escaped', () => {
    const svg = exportContent({ ...results, summary: results.summary.map((s) => ({ ...s })) }, 'svg');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="\d+"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect x="190"/g)).toHaveLength(9);
    // Two runs each: a whisker line and its two ends per bar.
    expect(svg.match(/stroke="#222"/g)).toHaveLength(27);
    expect(svg).toContain('host ◆ baseline');
    expect(svg).toContain('6.95 s');
    expect(svg).not.toMatch(/<text[^>]*>[^<]*[&][^#][^<]*<\/text>/);
  });
});
