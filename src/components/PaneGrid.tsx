import { Box } from 'ink';
import type { ReactNode } from 'react';
import type { PaneCell } from './pane-layout.js';

export interface PaneGridProps {
  /** Rows of cells, from paneLayout(). */
  layout: PaneCell[][];
  renderPane(cell: PaneCell): ReactNode;
}

export function PaneGrid({ layout, renderPane }: PaneGridProps) {
  return (
    <Box flexDirection="column">
      {layout.map((row) => (
        <Box key={row[0]?.index ?? 0} flexDirection="row">
          {row.map((cell) => (
            <Box key={cell.index} width={cell.width} height={cell.height}>
              {renderPane(cell)}
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}
