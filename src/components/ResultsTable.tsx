import { Box, Text } from 'ink';

export interface ResultsTableProps {
  headers: readonly string[];
  rows: readonly (readonly string[])[];
  /** Columns aligned right. */
  numeric: ReadonlySet<number>;
  /** Rows drawn at most; the rest are counted in a last line. */
  maxRows: number;
}

const GAP = 2;

export function columnWidths(headers: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return headers.map((header, column) => Math.max([...header].length, ...rows.map((row) => [...(row[column] ?? '')].length)));
}

/** Width a table of these columns takes, gaps included. */
export function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, width) => sum + width, 0) + GAP * Math.max(0, widths.length - 1);
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - [...text].length));
  return right ? fill + text : text + fill;
}

function cellColour(text: string): string | undefined {
  if (text === 'passed') return 'green';
  if (text === 'failed' || text === 'error') return 'red';
  if (text === 'timeout') return 'magenta';
  return undefined;
}

export function ResultsTable({ headers, rows, numeric, maxRows }: ResultsTableProps) {
  const widths = columnWidths(headers, rows);
  const overflow = rows.length > maxRows;
  const shown = overflow ? rows.slice(0, Math.max(0, maxRows - 1)) : rows;
  const gap = ' '.repeat(GAP);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {headers.map((header, i) => pad(header, widths[i] ?? 0, numeric.has(i))).join(gap)}
      </Text>
      <Text dimColor wrap="truncate-end">
        {widths.map((width) => '─'.repeat(width)).join(gap)}
      </Text>
      {shown.map((row, r) => (
        // Rows have no identity beyond their position in the table.
        <Text key={r} wrap="truncate-end">
          {row.map((cell, i) => (
            <Text key={headers[i]} color={cellColour(cell)}>
              {i > 0 ? gap : ''}
              {pad(cell, widths[i] ?? 0, numeric.has(i))}
            </Text>
          ))}
        </Text>
      ))}
      {overflow ? <Text dimColor>… {rows.length - shown.length} more rows (all of them are printed when you quit)</Text> : null}
    </Box>
  );
}
