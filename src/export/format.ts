import { COLUMN_GAP, padCell, type TableModel } from '../domain/table.js';

export function yesNo(value: boolean | null | undefined, yes = 'yes', no = 'no'): string {
  if (value === null || value === undefined) return '–';
  return value ? yes : no;
}

/** A plain-text table with aligned columns; numbers (right-aligned columns) line up on the right. */
export function textTable(model: TableModel): string {
  const gap = ' '.repeat(COLUMN_GAP);
  const line = (cells: string[]) => cells.map((cell, column) => padCell(model, column, cell)).join(gap).trimEnd();
  return [line(model.headers), line(model.widths.map((width) => '─'.repeat(width))), ...model.rows.map(line)].join('\n');
}
