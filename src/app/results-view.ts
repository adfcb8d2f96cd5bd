import type { RunRecord } from '../domain/results.js';
import { columnWidths, tableWidth } from '../components/ResultsTable.js';
import { RESULT_COLUMNS, tableModel, type Column, type TableModel } from '../export/table-model.js';

/** The columns that fit in `width`: the essential ones first, then the others in table order. */
export function fitColumns(records: RunRecord[], width: number, columns: Column[] = RESULT_COLUMNS): Column[] {
  const widthOf = (chosen: Column[]) => {
    const model = tableModel(records, chosen);
    return tableWidth(columnWidths(model.headers, model.rows));
  };
  let chosen = columns.filter((column) => column.essential);
  for (const column of columns.filter((c) => !c.essential)) {
    const next = columns.filter((c) => chosen.includes(c) || c === column);
    if (widthOf(next) <= width) chosen = next;
  }
  return chosen;
}

export function fittedModel(records: RunRecord[], width: number): TableModel {
  return tableModel(records, fitColumns(records, width));
}
