import { describe, expect, it } from 'vitest';
import type { ModeId } from '../../src/domain/modes.js';
import type { RunRecord, RunStatus } from '../../src/domain/results.js';
import { emptyFindings, emptyTimings } from '../../src/domain/results.js';
import { pickColumns, tableOf, tableWidth } from '../../src/domain/table.js';
import { textTable } from '../../src/export/format.js';
import { markdownTable, renderMarkdown } from '../../src/export/markdown.js';
import { answerQuestions } from '../../src/export/questions.js';
import { buildResultsFile, type SessionFacts } from '../../src/export/results-file.js';
import { relativeStartupLine, statisticsTable } from '../../src/export/statistics.js';
import { RESULT_COLUMNS, tableModel } from '../../src/export/table-model.js';

const facts: SessionFacts = {
  startedAt: '2026-11-26T12:00:00.000Z',
  command: 'cc-iso run --mode host,docker,sandbox --runs 2 --prompt "a | b"',
  host: { os: 'Debian GNU/Linux 12 (bookworm)', arch: 'x64', kernel: '6.1.0-18-amd64', user: 'dev (uid 1000)' },
  runtimes: { host: 'linux x64 6.1.0-18-amd64', docker: 'Docker Engine 27.3.1', podman: null, sandbox: 'sbx v0.47.0' },
};

function run(mode: ModeId, iteration: number, startupMs: number, status: RunStatus = 'passed'): RunRecord {
  const findings = emptyFindings();
  findings.headless = status === 'passed';
  findings.cleanExit = status === 'passed';
  findings.auth = { source: mode === 'sandbox' ? 'sandbox-proxy' : 'env:CLAUDE_CODE_OAUTH_TOKEN', ok: status === 'passed' };
  findings.workspaceSync = { ok: true, latencyMs: mode === 'sandbox' ? 40 : 0, owner: '1000:1000 (dev)' };
  findings.network = { registry: true, blockedHost: mode === 'host' ? 'reachable' : 'blocked', blockedBy: null };
  findings.credentialExposed = mode !== 'sandbox';
  findings.kernel = { inside: mode === 'sandbox' ? '6.12.4-linuxkit' : '6.1.0-18-amd64', isolated: mode === 'sandbox' };
  return {
    id: `s-${mode}-${iteration}`,
    mode,
    workload: 'claude',
    iteration,
    warmup: false,
    status,
    exitCode: status === 'passed' ? 0 : 1,
    runtime: facts.runtimes[mode] ?? null,
    claudeVersion: '2.1.332',
    startedAt: facts.startedAt,
    timings: {
      ...emptyTimings(),
      prepareMs: 10,
      startupMs,
      firstOutputMs: startupMs + 100,
      resultMs: startupMs + 500,
      exitLagMs: 20,
      totalMs: startupMs + 700,
      cleanupMs: 30,
    },
    findings,
    claude: { numTurns: 2, durationMs: 500, durationApiMs: 80, totalCostUsd: 0.02, isError: status !== 'passed' },
    evidence: { kernel: `cc-iso-probe kernel ${findings.kernel.inside}`, result: 'result: is_error false, 2 turn(s)' },
    error: status === 'passed' ? null : 'Invalid API key | Fix external API key',
  };
}

const records = [
  run('host', 1, 100),
  run('docker', 1, 300),
  run('sandbox', 1, 900),
  run('host', 2, 120),
  run('docker', 2, 340),
  run('sandbox', 2, 1000),
];

describe('the results file', () => {
  it('summarises each mode from its measured runs and compares startup with host', () => {
    const file = buildResultsFile(facts, records, true);
    const docker = file.summary.find((s) => s.mode === 'docker')!;
    expect(docker.startupMs).toMatchObject({ n: 2, mean: 320, median: 320, min: 300, max: 340 });
    expect(docker.startupMs.stddev).toBeCloseTo(28.2843, 4);
    // Hand computation: ratio = 320 / 110 = 2.9091; σ_host = 14.1421, σ_docker = 28.2843;
    // σ_ratio = 2.9091 × √((28.2843/320)² + (14.1421/110)²) = 2.9091 × √(0.0078125 + 0.0165289) = 0.45385
    expect(docker.startupVsHost!.ratio).toBeCloseTo(2.909091, 5);
    expect(docker.startupVsHost!.ratioStddev).toBeCloseTo(0.45385, 4);
    expect(docker.startupVsHost!.deltaMs).toBe(210);
    expect(relativeStartupLine(docker)).toBe('docker starts 2.91 ± 0.45× slower than host; +210 ms');
  });

  it('recommends the strongest isolation that passed and says what to avoid', () => {
    const failing = [...records, run('docker', 3, 310, 'failed')];
    const file = buildResultsFile(facts, failing, true);
    expect(file.recommendation).toMatch(/^Use sandbox: the strongest isolation that passed every run \(microVM, own kernel; the token is not readable inside\)\./);
    expect(file.recommendation).toMatch(/Avoid docker for now: 1 of 3 runs did not pass \(Invalid API key \| Fix external API key\)/);
    const docker = file.summary.find((s) => s.mode === 'docker')!;
    expect(docker.warnings[0]).toBe('1 of 3 runs did not pass and are left out of the statistics');
    expect(docker.startupMs.n).toBe(2);
  });

  it('derives the advice from what was measured, not from what a mode promises', () => {
    const measuredAgainst = records.map((r) => {
      if (r.mode !== 'sandbox') return r;
      const findings = { ...r.findings, kernel: { inside: '6.1.0-18-amd64', isolated: false } };
      return { ...r, findings };
    });
    const file = buildResultsFile(facts, measuredAgainst, true);
    // A "microVM" reporting the host kernel ranks as a container: docker has the same one concern
    // (the token is readable inside) and starts sooner.
    expect(file.recommendation).toMatch(/^Use docker: the strongest isolation that passed every run \(container, shared host kernel; but the token is readable inside\)\./);
    expect(file.recommendation).toContain('sandbox passed, but it reported the host kernel inside.');
    expect(file.summary.find((s) => s.mode === 'sandbox')!.recommendation).toBe('passed every run, but it reported the host kernel inside');
  });

  it('uses one unit per statistics table', () => {
    const model = statisticsTable(buildResultsFile(facts, records, true).summary);
    expect(model.headers).toContain('startup [ms]');
    expect(model.rows[0]).toEqual(['host', '2/2', '110 ± 14', '210 ± 14', '810 ± 14', '20 ± 0', '110', '100', '120', 'baseline']);
  });

  it('answers the eight questions per mode with evidence and warns about a foreign file owner', () => {
    const file = buildResultsFile(facts, records, true);
    const sandbox = answerQuestions(file).find((m) => m.mode === 'sandbox')!;
    expect(sandbox.answers).toHaveLength(8);
    expect(sandbox.answers[6]!.answer).toBe('no, only a placeholder or nothing');
    expect(sandbox.answers[7]!.answer).toBe('own kernel (6.12.4-linuxkit; host 6.1.0-18-amd64)');
    expect(sandbox.answers[7]!.evidence).toBe('cc-iso-probe kernel 6.12.4-linuxkit');
    const rootFile = buildResultsFile({ ...facts, host: { ...facts.host, user: 'root (uid 0)' } }, records, true);
    expect(answerQuestions(rootFile)[0]!.answers[4]!.warning).toMatch(/belong to 1000:1000 \(dev\) on the host, not to you \(uid 0\)/);
  });
});

describe('the network answer and the blocked-host cell', () => {
  it('says whether a proxy\'s policy blocked the host or nothing answered', () => {
    const blockedBy = (mode: ModeId, by: 'policy' | 'no-route' | null) => (r: RunRecord) =>
      r.mode === mode ? { ...r, findings: { ...r.findings, network: { ...r.findings.network, blockedBy: by } } } : r;
    const changed = records.map(blockedBy('docker', 'no-route')).map(blockedBy('sandbox', 'policy'));
    const answers = answerQuestions(buildResultsFile(facts, changed, true));
    const network = (mode: ModeId) => answers.find((m) => m.mode === mode)!.answers[5]!.answer;
    expect(network('sandbox')).toBe('registry reachable; blocked host blocked by policy (a proxy refused it)');
    expect(network('docker')).toBe('registry reachable; blocked host blocked (no route: nothing answered)');
    expect(network('host')).toBe('registry reachable; blocked host REACHABLE');
    const withPolicy = changed.map((r) => (r.mode === 'sandbox' ? { ...r, evidence: { ...r.evidence, network: 'srt policy: network only to x' } } : r));
    const sandbox = answerQuestions(buildResultsFile(facts, withPolicy, true)).find((m) => m.mode === 'sandbox')!;
    expect(sandbox.answers[5]!.evidence).toContain('srt policy: network only to x');
    const cells = tableModel(changed, RESULT_COLUMNS.filter((c) => c.key === 'blocked' || c.key === 'kernel')).rows;
    expect(cells.slice(0, 3)).toEqual([
      ['reachable', 'host'],
      ['blocked (no route)', 'host'],
      ['blocked (policy)', 'own 6.12.4-linuxkit'],
    ]);
  });
});

describe('the clean exit answer', () => {
  it('says a sandbox kept running after the agent exited, and whether cc-iso removed it', () => {
    const persisted = records.map((r) => (r.mode === 'sandbox' ? { ...r, evidence: { ...r.evidence, 'still-running-after-exit': 'cc-iso-x' } } : r));
    const answers = answerQuestions(buildResultsFile(facts, persisted, true));
    const cleanExit = (mode: ModeId) => answers.find((m) => m.mode === mode)!.answers[1]!;
    expect(cleanExit('sandbox').answer).toBe('yes; exit lag 20 ms; kept running after the agent exited, until cc-iso removed it');
    expect(cleanExit('sandbox').evidence).toBe('cc-iso-x');
    expect(cleanExit('docker').answer).toBe('yes; exit lag 20 ms; nothing left behind');
  });
});

describe('RESULTS.md', () => {
  it('is the findings write-up', () => {
    const file = { ...buildResultsFile(facts, [...records, run('docker', 3, 310, 'failed')], true), finishedAt: '2026-11-26T12:01:00.000Z' };
    expect(renderMarkdown(file)).toMatchSnapshot();
  });

  it('escapes pipes and newlines inside table cells', () => {
    const lines = markdownTable(tableOf(['a|b', 'n'], [['x | y', 'two\nlines']], new Set([1])));
    expect(lines).toEqual(['| a\\|b | n |', '| --- | ---: |', '| x \\| y | two lines |']);
  });

  it('says when the results are partial', () => {
    expect(renderMarkdown(buildResultsFile(facts, records.slice(0, 2), false))).toContain('partial results');
  });
});

describe('the column model', () => {
  const model = tableOf(['mode', 'total', 'kernel'], [['docker', '1.20 s', 'host'], ['sandbox', '850 ms', 'own']], new Set([1]));

  it('measures each column once, and a narrower table keeps those widths', () => {
    expect(model.widths).toEqual([7, 6, 6]);
    expect(tableWidth(model)).toBe(7 + 6 + 6 + 2 * 2);
    const narrow = pickColumns(model, [0, 2]);
    expect(narrow).toEqual({ headers: ['mode', 'kernel'], rows: [['docker', 'host'], ['sandbox', 'own']], numericColumns: new Set(), widths: [7, 6] });
    expect(pickColumns(model, [1]).numericColumns).toEqual(new Set([0]));
  });

  it('prints aligned, numbers on the right, without trailing spaces', () => {
    expect(textTable(model).split('\n')).toEqual([
      'mode      total  kernel',
      '───────  ──────  ──────',
      'docker   1.20 s  host',
      'sandbox  850 ms  own',
    ]);
  });
});
