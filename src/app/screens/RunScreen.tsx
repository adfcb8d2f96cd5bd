import { useEffect } from 'react';
import { PaneGrid } from '../../components/PaneGrid.js';
import { paneBodyHeight } from '../../components/Pane.js';
import { paneLayout, type PaneCell } from '../../components/pane-layout.js';
import { useAppContext, useAppState } from '../context.js';
import { RunPane } from './RunPane.js';

/** One pane per mode, side by side, in a grid, or stacked; z shows the focused one alone. */
export function RunScreen({ width, height }: { width: number; height: number }) {
  const { controller } = useAppContext();
  const count = useAppState((s) => s.panes.length);
  const focus = useAppState((s) => s.focus);
  const zoomed = useAppState((s) => s.zoomed);
  const layout = zoomed ? [[{ index: focus, width, height }]] : paneLayout(count, width, height);
  const focusedHeight = layout.flat().find((cell) => cell.index === focus)?.height ?? height;
  const pageSize = paneBodyHeight(focusedHeight);
  useEffect(() => controller.setPageSize(pageSize), [controller, pageSize]);
  return (
    <PaneGrid
      layout={layout}
      renderPane={(cell: PaneCell) => <RunPane index={cell.index} width={cell.width} height={cell.height} focused={cell.index === focus} />}
    />
  );
}
