import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModeId } from '../../src/domain/modes.js';
import type { ResultsFile } from '../../src/domain/results.js';
import { summarize } from '../../src/domain/stats.js';
import { runCli } from '../helpers/cli.js';
import { engineAvailable } from '../helpers/engines.js';

const modes: ModeId[] = ['host', 'docker', 'podman'];
const available = await Promise.all(modes.map((mode) => engineAvailable(mode)));
const testable = modes.filter((_, index) => available[index]);

describe('--runs 3 --warmup 1 over host, Docker and Podman', () => {
  it.skipIf(testable.length < 2)('alternates the modes, and its statistics and Markdown agree with the raw runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-iso-repeat-'));
    const json = join(dir, 'results.json');
    const markdown = join(dir, 'RESULTS.md');
    const result = await runCli([
      'run', '--mode', testable.join(','), '--workload', 'probe', '--runs', '3', '--warmup', '1',
      '--json', json, '--markdown', markdown,
    ]);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const file = JSON.parse(await readFile(json, 'utf8')) as ResultsFile;

    // A B C A B C …: a machine that slows down mid-way does not favour one mode.
    expect(file.runs.map((run) => `${run.warmup ? 'w' : '#'}${run.iteration} ${run.mode}`)).toEqual(
      ['w1', '#1', '#2', '#3'].flatMap((round) => testable.map((mode) => `${round} ${mode}`)),
    );
    expect(file.summary.map((summary) => summary.mode)).toEqual(testable);

    for (const summary of file.summary) {
      const measured = file.runs.filter((run) => run.mode === summary.mode && !run.warmup);
      expect(summary.runs).toBe(3);
      expect(summary.passed).toBe(3);
      for (const key of ['startupMs', 'firstOutputMs', 'totalMs', 'exitLagMs'] as const) {
        const expected = summarize(measured.map((run) => run.timings[key]!));
        expect(summary[key].n).toBe(3);
        expect(summary[key].mean).toBeCloseTo(expected.mean!, 6);
        expect(summary[key].stddev).toBeCloseTo(expected.stddev!, 6);
        expect(summary[key].median).toBe(expected.median);
        expect(summary[key].min).toBe(expected.min);
        expect(summary[key].max).toBe(expected.max);
      }
      if (summary.mode !== 'host' && testable.includes('host')) {
        const host = file.summary.find((s) => s.mode === 'host')!;
        expect(summary.startupVsHost!.ratio).toBeCloseTo(summary.startupMs.mean! / host.startupMs.mean!, 6);
        expect(summary.startupVsHost!.deltaMs).toBeCloseTo(summary.startupMs.mean! - host.startupMs.mean!, 0);
      }
      expect(summary.recommendation).not.toBe('');
    }
    expect(file.recommendation).toMatch(/^Use (docker|podman)/);

    const report = await readFile(markdown, 'utf8');
    expect(report).toContain(file.recommendation!);
    for (const run of file.runs) {
      expect(report).toMatch(new RegExp(`\\| ${run.mode} \\| ${run.warmup ? 'w' : '#'}${run.iteration} \\| ${run.status} \\|`));
    }
    for (const summary of file.summary) {
      expect(report).toContain(`| ${summary.mode} | ${summary.passed}/${summary.runs} | ${Math.round(summary.startupMs.mean!)} ±`);
    }
    expect(report).toContain(file.host.kernel);
    expect(report).toContain(file.command);
  });
});
