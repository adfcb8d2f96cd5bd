import type { ModeSummary, RunRecord } from '../domain/results.js';
import { pickColumns, tableWidth, type TableModel } from '../domain/table.js';
import { statisticsTable } from '../export/statistics.js';
import { RESULT_COLUMNS, tableModel } from '../export/table-model.js';

/** The columns that fit in `width`: the essential ones first, then the others in table order. */
function fitModel(model: TableModel, width: number, essential: (column: number) => boolean): TableModel {
  const all = model.headers.map((_, column) => column);
  let chosen = all.filter(essential);
  for (const column of all.filter((c) => !essential(c))) {
    const next = all.filter((c) => chosen.includes(c) || c === column);
    if (tableWidth(pickColumns(model, next)) <= width) chosen = next;
  }
  return pickColumns(model, chosen);
}

export function fittedModel(records: RunRecord[], width: number): TableModel {
  return fitModel(tableModel(records), width, (column) => RESULT_COLUMNS[column]?.essential ?? false);
}

/** What a narrow screen keeps of the statistics: the mode and the startup's mean ± σ, median, min, max and ratio to host. */
const STATISTICS_ESSENTIAL = /^(mode|startup.*|min|max)$/;

/** `cc-iso run`'s statistics table, with the columns that fit in `width`. */
export function fittedStatistics(summaries: ModeSummary[], width: number): TableModel {
  const model = statisticsTable(summaries);
  return fitModel(model, width, (column) => STATISTICS_ESSENTIAL.test(model.headers[column] ?? ''));
}
