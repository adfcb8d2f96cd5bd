import { describe, expect, it } from 'vitest';
import type { ModeId } from '../../src/domain/modes.js';
import type { RunRecord, RunStatus } from '../../src/domain/results.js';
import { emptyFindings, emptyTimings } from '../../src/domain/results.js';
import { computeFindings } from '../../src/engine/findings.js';
import { answerQuestions } from '../../src/export/questions.js';
import { applyProbeLine, emptyProbeReport } from '../../src/workloads/probe.js';
import { renderMarkdown } from '../../src/export/markdown.js';
import { buildResultsFile, type SessionFacts } from '../../src/export/results-file.js';
import { statisticsTable } from '../../src/export/statistics.js';
import { renderSvg } from '../../src/export/svg.js';

const facts: SessionFacts = {
  startedAt: '2026-12-02T12:00:00.000Z',
  command: 'cc-iso run --mode docker,docker@buildbox,podman@ci --workload probe --runs 2',
  host: { os: 'Debian GNU/Linux 12 (bookworm)', arch: 'x64', kernel: '6.1.0', user: 'dev (uid 1000)' },
  runtimes: { docker: 'Docker Engine 27.3.1' },
};

function run(mode: ModeId, target: string | null, iteration: number, startupMs: number, status: RunStatus = 'passed'): RunRecord {
  const findings = emptyFindings();
  findings.workspaceSync = { ok: true, latencyMs: 0, owner: '1000:1000 (dev)' };
  return {
    id: `s-${mode}-${target ?? 'here'}-${iteration}`, mode, ...(target ? { target, rttMs: 200 } : {}),
    workload: 'probe', iteration, warmup: false, status, exitCode: status === 'passed' ? 0 : 1,
    runtime: null, claudeVersion: null, startedAt: facts.startedAt,
    timings: { ...emptyTimings(), startupMs, totalMs: startupMs + 100, ...(target ? { startupNetMs: startupMs - 200, uploadMs: 50, downloadMs: 40 } : {}) },
    ...(target ? { transfer: { uploadBytes: 10240, downloadBytes: 2048 } } : {}),
    findings, claude: null, evidence: {}, error: status === 'passed' ? null : 'the engine on ci went away during the run: EOF',
  };
}

const records = [
  run('docker', null, 1, 300), run('docker', 'buildbox', 1, 900), run('podman', 'ci', 1, 0, 'error'),
  run('docker', null, 2, 320), run('docker', 'buildbox', 2, 1000), run('podman', 'ci', 2, 1500),
];

describe('results per target', () => {
  it('keeps statistics of the same mode on different machines apart, this machine first', () => {
    const file = buildResultsFile(facts, records, true);
    expect(file.summary.map((s) => [s.mode, s.target ?? null, s.passed, s.startupMs.mean])).toEqual([
      ['docker', null, 2, 310],
      ['docker', 'buildbox', 2, 950],
      ['podman', 'ci', 1, 1500],
    ]);
    const table = statisticsTable(file.summary);
    expect(table.rows.map((row) => row[0])).toEqual(['docker', 'docker@buildbox', 'podman@ci']);
    // Startup raw and net of the round trip (200 ms here), side by side.
    const net = table.headers.indexOf('startup net of round trip [ms]');
    expect(table.rows.map((row) => [row[table.headers.indexOf('startup [ms]')], row[net]])).toEqual([
      ['310 ± 14', '–'], ['950 ± 71', '750 ± 71'], ['1500', '1300'],
    ]);
  });

  it('recommends per environment and reports shipping, round trip and startup net of it', () => {
    const file = buildResultsFile(facts, records, true);
    expect(file.recommendation).toMatch(/^Here: Use docker/m);
    expect(file.recommendation).toMatch(/^On buildbox: Use docker/m);
    expect(file.recommendation).toMatch(/^On ci: .*Avoid podman/m);
    const markdown = renderMarkdown(file);
    expect(markdown).toContain('### docker@buildbox');
    expect(markdown).toMatch(/## Remote targets[\s\S]*docker@buildbox #1: upload .*10240 B up, 2048 B down.*round trip .*startup .* raw, .* net/);
    expect(markdown).toMatch(/net of one round trip to buildbox/);
  });

  it('compares the kernel inside with the target machine\'s, not this one\'s', () => {
    const probe = emptyProbeReport();
    applyProbeLine(probe, 'cc-iso-probe kernel 5.15.0-buildbox');
    const inputs = { probe, marker: null, secretFingerprints: [], exitLagMs: null, resultSeen: false, leftovers: [], claude: null, authSource: null };
    // A container on buildbox shares buildbox's kernel, which is not this machine's.
    expect(computeFindings({ ...inputs, hostKernel: '5.15.0-buildbox' }).kernel).toEqual({ inside: '5.15.0-buildbox', isolated: false });
    expect(computeFindings({ ...inputs, hostKernel: '6.8.0-other' }).kernel.isolated).toBe(true);
    const shared = records.map((record) => ({ ...record, findings: { ...record.findings, kernel: { inside: record.target ? '5.15.0-buildbox' : '6.1.0', isolated: false } } }));
    const answers = answerQuestions(buildResultsFile(facts, shared, true));
    const kernel = (target: string | null) =>
      answers.find((a) => (a.target ?? null) === target)!.answers.find((a) => a.question.startsWith('Kernel'))!.answer;
    expect(kernel('buildbox')).toBe("the kernel of buildbox's machine (5.15.0-buildbox)");
    expect(kernel(null)).toBe('host kernel (6.1.0; host 6.1.0)');
  });

  it('labels the chart rows with mode@target, in the SVG on a row of their own', () => {
    const svg = renderSvg(buildResultsFile(facts, records, true));
    const label = /<text x="8" y="(\d+)" font-weight="bold">docker@buildbox<\/text>\n<text x="100" y="(\d+)" fill="#666">startup<\/text>/.exec(svg);
    expect(label, svg).not.toBeNull();
    expect(Number(label![2]) - Number(label![1])).toBe(20);
    expect(svg).toMatch(/<text x="8" y="(\d+)" font-weight="bold">docker<\/text>\n<text x="100" y="\1" fill="#666">startup/);
  });
});
