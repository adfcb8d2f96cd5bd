/**
 * A table as every renderer draws it (the terminal, the app, Markdown): cells as text, and each
 * column's width measured once, when the table is made.
 */
export interface TableModel {
  headers: string[];
  rows: string[][];
  /** Columns aligned right (numbers). */
  numericColumns: Set<number>;
  /** Each column's width in characters: its widest cell, header included. */
  widths: number[];
}

/** Spaces between two columns. */
export const COLUMN_GAP = 2;

const length = (text: string) => [...text].length;

export function tableOf(headers: string[], rows: string[][], numericColumns: Set<number> = new Set()): TableModel {
  const widths = headers.map((header, column) => Math.max(length(header), ...rows.map((row) => length(row[column] ?? ''))));
  return { headers, rows, numericColumns, widths };
}

/** The same table with only these columns, in this order (widths are kept, not measured again). */
export function pickColumns(model: TableModel, columns: number[]): TableModel {
  return {
    headers: columns.map((column) => model.headers[column] ?? ''),
    rows: model.rows.map((row) => columns.map((column) => row[column] ?? '')),
    numericColumns: new Set(columns.flatMap((column, index) => (model.numericColumns.has(column) ? [index] : []))),
    widths: columns.map((column) => model.widths[column] ?? 0),
  };
}

/** Characters a row of this table takes, gaps included. */
export function tableWidth(model: TableModel): number {
  return model.widths.reduce((sum, width) => sum + width, 0) + COLUMN_GAP * Math.max(0, model.widths.length - 1);
}

/** Cell `column`'s text padded to its column's width, on the left for numbers. */
export function padCell(model: TableModel, column: number, text: string): string {
  const fill = ' '.repeat(Math.max(0, (model.widths[column] ?? 0) - length(text)));
  return model.numericColumns.has(column) ? fill + text : text + fill;
}
