export function yesNo(value: boolean | null | undefined, yes = 'yes', no = 'no'): string {
  if (value === null || value === undefined) return '–';
  return value ? yes : no;
}

/** A plain-text table with aligned columns; numbers (right-aligned columns) line up on the right. */
export function textTable(headers: string[], rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = headers.map((header, column) =>
    Math.max([...header].length, ...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const pad = ' '.repeat(Math.max(0, (widths[column] ?? 0) - [...cell].length));
        return rightAligned.has(column) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}
