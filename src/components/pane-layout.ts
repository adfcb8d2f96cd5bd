/** Narrower than this, panes stack instead of standing side by side. */
export const MIN_PANE_WIDTH = 48;

export interface PaneCell {
  index: number;
  width: number;
  height: number;
}

/** Splits `total` into `parts` sizes that add up to it, the first ones one larger. */
function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

/**
 * Rows of panes filling width × height exactly: side by side for up to three, a grid for four
 * or more, fewer columns (down to one, stacked) when the columns would be too narrow.
 */
export function paneLayout(count: number, width: number, height: number): PaneCell[][] {
  if (count <= 0) return [];
  let columns = count <= 3 ? count : Math.ceil(Math.sqrt(count));
  while (columns > 1 && Math.floor(width / columns) < MIN_PANE_WIDTH) columns -= 1;
  const rowCount = Math.ceil(count / columns);
  const heights = split(height, rowCount);
  return heights.map((rowHeight, row) => {
    const first = row * columns;
    const inRow = Math.min(columns, count - first);
    return split(width, inRow).map((cellWidth, i) => ({ index: first + i, width: cellWidth, height: rowHeight }));
  });
}
