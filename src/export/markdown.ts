import type { ResultsFile } from '../domain/results.js';
import { tableModel } from './table-model.js';

/** A cell's text inside a Markdown table: pipes would end the cell, newlines the row. */
function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, ' ');
}

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** RESULTS.md: the results table, the per-mode verdicts, the errors and the environment. */
export function renderMarkdown(file: ResultsFile): string {
  const model = tableModel(file.runs);
  const divider = model.headers.map((_, index) => (model.numericColumns.has(index) ? '---:' : '---'));
  const lines = [
    '# cc-iso results',
    '',
    `Started ${file.startedAt}${file.finishedAt ? `, finished ${file.finishedAt}` : ''} with \`${file.command.replaceAll('`', "'")}\`.`,
    '',
    '## Results',
    '',
  ];
  if (file.runs.length === 0) lines.push('No run finished.');
  else lines.push(row(model.headers), `| ${divider.join(' | ')} |`, ...model.rows.map(row));

  if (file.summary.length > 0) {
    lines.push('', '## Per mode', '');
    for (const summary of file.summary) {
      lines.push(`- **${summary.mode}**: ${summary.passed} of ${summary.runs} passed — ${summary.recommendation}`);
      for (const warning of summary.warnings) lines.push(`  - ${warning}`);
    }
  }
  if (file.recommendation) lines.push('', `**Recommendation:** ${file.recommendation}`);

  const failures = file.runs.filter((run) => run.error);
  if (failures.length > 0) {
    lines.push('', '## Errors', '');
    for (const run of failures) lines.push(`- ${run.mode} #${run.iteration} (${run.status}): ${run.error?.replace(/\r?\n/g, ' ')}`);
  }

  lines.push(
    '',
    '## Environment',
    '',
    `- cc-iso ${file.tool.version}`,
    `- host: ${file.host.os}, ${file.host.arch}, kernel ${file.host.kernel}, user ${file.host.user}`,
    ...Object.entries(file.runtimes).map(([mode, runtime]) => `- ${mode} mode: ${runtime ?? 'unavailable'}`),
    '',
  );
  return lines.join('\n');
}
