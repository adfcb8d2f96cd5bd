import { MODES } from '../domain/modes.js';
import type { ResultsFile, RunRecord } from '../domain/results.js';
import { chartLines, chartModel, plainText, timelineLines } from '../domain/chart.js';
import type { TableModel } from '../domain/table.js';
import { placementLabel } from '../domain/targets.js';
import { formatDuration } from '../domain/duration.js';
import { answerQuestions } from './questions.js';
import { relativeStartupLine, statisticsTable } from './statistics.js';
import { tableModel } from './table-model.js';

/** The charts fit a terminal or a code view 80 columns wide. */
const CHART_WIDTH = 80;

/** A cell's text inside a Markdown table: pipes would end the cell, newlines the row. */
function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
}

export function markdownTable(model: TableModel): string[] {
  const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const divider = model.headers.map((_, index) => (model.numericColumns.has(index) ? '---:' : '---'));
  return [row(model.headers), `| ${divider.join(' | ')} |`, ...model.rows.map(row)];
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/**
 * RESULTS.md: the write-up a person would otherwise type by hand — the recommendation, the
 * statistics, every run, the eight questions answered per mode with their evidence, and the
 * environment and command that produced it.
 */
export function renderMarkdown(file: ResultsFile): string {
  const lines = ['# cc-iso results', ''];
  const modes = file.summary.map((summary) => ({ label: placementLabel({ mode: summary.mode, target: summary.target ?? null }), mode: summary.mode }));
  lines.push(
    `Comparison of ${modes.map(({ label, mode }) => `**${label}** (${MODES[mode].isolation})`).join(', ') || 'no mode'} ` +
      `on ${file.host.os}, started ${file.startedAt}${file.finishedAt ? '' : ' (interrupted or still running: partial results)'}.`,
    '',
  );
  if (file.recommendation) lines.push('## Recommendation', '', file.recommendation, '');

  if (file.summary.some((summary) => summary.passed > 0)) {
    lines.push('## Timings', '', 'Measured runs that passed; mean ± σ (sample standard deviation, with two or more runs).', '');
    lines.push(...markdownTable(statisticsTable(file.summary)), '');
    const notes = file.summary.flatMap((summary) => [
      ...(relativeStartupLine(summary) ? [relativeStartupLine(summary)!] : []),
      ...summary.warnings.map((warning) => `${summary.mode}: ${warning}`),
    ]);
    if (notes.length > 0) lines.push(...notes.map((note) => `- ${note}`), '');
    lines.push('Median per mode on one scale:', '', '```text', plainText(chartLines(chartModel(file.summary), CHART_WIDTH)), '```', '');
  }

  lines.push('## Runs', '');
  if (file.runs.length === 0) lines.push('No run finished.', '');
  else {
    lines.push(...markdownTable(tableModel(file.runs)), '');
    lines.push('Where each run\'s time went:', '', '```text', plainText(timelineLines(file.runs, CHART_WIDTH)), '```', '');
  }
  const failures = file.runs.filter((run) => run.error);
  if (failures.length > 0) {
    lines.push(
      ...failures.map(
        (run) => `- ${placementLabel({ mode: run.mode, target: run.target ?? null })} ${run.warmup ? 'warm-up ' : '#'}${run.iteration} (${run.status}): ${run.error!.replace(/\r?\n/g, ' ')}`,
      ),
      '',
    );
  }

  const isolating = [...new Set(modes.map(({ mode }) => mode))];
  lines.push('## What each mode isolates', '', ...isolating.map((mode) => `- **${mode}**: ${MODES[mode].scope}`), '');

  lines.push('## Findings per mode', '');
  for (const { mode, target = null, answers } of answerQuestions(file)) {
    const summary = file.summary.find((s) => s.mode === mode && (s.target ?? null) === target);
    lines.push(`### ${placementLabel({ mode, target })}`, '', `${summary?.recommendation ?? ''}`.trim(), '');
    answers.forEach((answer, index) => {
      lines.push(`${index + 1}. **${answer.question}** ${answer.answer}`);
      if (answer.evidence) lines.push(`   Evidence: ${code(answer.evidence)}`);
      if (answer.warning) lines.push(`   ⚠ ${answer.warning}`);
    });
    lines.push('');
  }

  lines.push(...shippingLines(file.runs));
  const claudeVersions = [...new Set(file.runs.map((run) => run.claudeVersion && `${run.mode}: ${run.claudeVersion}`))].filter(Boolean);
  lines.push(
    '## Environment',
    '',
    `- cc-iso ${file.tool.version}`,
    `- host: ${file.host.os}, ${file.host.arch}, kernel ${file.host.kernel}, user ${file.host.user}`,
    ...Object.entries(file.runtimes).map(([mode, runtime]) => `- ${mode}: ${runtime ?? 'unavailable'}`),
    ...(claudeVersions.length > 0 ? [`- Claude Code: ${claudeVersions.join(', ')}`] : []),
    `- command: ${code(file.command)}`,
    '',
  );
  return lines.join('\n');
}

/** Remote targets: what shipping the workspace cost and how the credential travelled, per run. */
function shippingLines(runs: RunRecord[]): string[] {
  const remote = runs.filter((run) => run.target);
  if (remote.length === 0) return [];
  return [
    '## Remote targets',
    '',
    'The workspace cannot be bind-mounted on another machine\'s engine: it was shipped there as a tar stream and brought back after the run.',
    '',
    ...remote.map((run) => {
      const t = run.timings;
      const bytes = run.transfer ? `${run.transfer.uploadBytes ?? '–'} B up, ${run.transfer.downloadBytes ?? '–'} B down` : 'nothing shipped';
      const credential = run.evidence['credential-path'] ? `; ${run.evidence['credential-path']}` : '';
      return `- ${placementLabel({ mode: run.mode, target: run.target ?? null })} ${run.warmup ? 'warm-up ' : '#'}${run.iteration}: ` +
        `upload ${formatDuration(t.uploadMs ?? null)}, download ${formatDuration(t.downloadMs ?? null)} (${bytes}); round trip ${formatDuration(run.rttMs ?? null)}, ` +
        `startup ${formatDuration(t.startupMs)} raw, ${formatDuration(t.startupNetMs ?? null)} net${credential}`;
    }),
    '',
  ];
}
