import { Box, Text } from 'ink';
import { COLUMN_GAP, padCell, type TableModel } from '../domain/table.js';

export interface ResultsTableProps {
  model: TableModel;
  /** Rows drawn at most; the rest are counted in a last line. */
  maxRows: number;
}

function cellColour(text: string): string | undefined {
  if (text === 'passed') return 'green';
  if (text === 'failed' || text === 'error') return 'red';
  if (text === 'timeout') return 'magenta';
  return undefined;
}

export function ResultsTable({ model, maxRows }: ResultsTableProps) {
  const { headers, rows, widths } = model;
  const overflow = rows.length > maxRows;
  const shown = overflow ? rows.slice(0, Math.max(0, maxRows - 1)) : rows;
  const gap = ' '.repeat(COLUMN_GAP);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {headers.map((header, i) => padCell(model, i, header)).join(gap)}
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
              {padCell(model, i, cell)}
            </Text>
          ))}
        </Text>
      ))}
      {overflow ? <Text dimColor>… {rows.length - shown.length} more rows (all of them are printed when you quit)</Text> : null}
    </Box>
  );
}
