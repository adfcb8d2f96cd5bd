import { Box, renderToString } from 'ink';
import { describe, expect, it } from 'vitest';
import { ElapsedTime } from '../../src/components/ElapsedTime.js';
import { HelpOverlay, packGroups } from '../../src/components/HelpOverlay.js';
import { fitHints, KeyHints } from '../../src/components/KeyHints.js';
import { OutputTail } from '../../src/components/OutputTail.js';
import { Pane } from '../../src/components/Pane.js';
import { paneLayout } from '../../src/components/pane-layout.js';
import { ResultsTable } from '../../src/components/ResultsTable.js';
import { StatusBadge } from '../../src/components/StatusBadge.js';
import { tableOf } from '../../src/domain/table.js';
import { helpGroups, ALL_SCOPES } from '../../src/app/keymap.js';

const rows = (text: string) => text.split('\n');

describe('OutputTail and Pane', () => {
  it('draws one row per line, cut at the edge, never wrapped', () => {
    const text = renderToString(<OutputTail lines={['short', 'y'.repeat(50), 'last']} width={20} height={3} />, { columns: 40 });
    expect(rows(text)).toEqual(['short', `${'y'.repeat(19)}…`, 'last']);
  });

  it('shows only the newest lines that fit', () => {
    const text = renderToString(<OutputTail lines={['1', '2', '3', '4', '5']} width={10} height={2} />, { columns: 10 });
    expect(rows(text)).toEqual(['4', '5']);
  });

  it('keeps long lines inside the pane next to another pane', () => {
    const pane = (name: string) => (
      <Pane width={20} height={5} focused={false} header={name} lines={['z'.repeat(100), 'ok']} />
    );
    const text = renderToString(
      <Box>
        {pane('left')}
        {pane('right')}
      </Box>,
      { columns: 40 },
    );
    const lines = rows(text);
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => [...line].length === 40)).toBe(true);
    expect(lines[1]).toBe(`│left${' '.repeat(14)}││right${' '.repeat(13)}│`);
    expect(lines[2]).toBe(`│${'z'.repeat(17)}…│`.repeat(2));
  });

  it('puts its aside at the right end of the header, after the header text', () => {
    const text = renderToString(<Pane width={40} height={4} focused header="docker" aside="↑ 3 lines back" lines={['a']} />, { columns: 40 });
    expect(rows(text)[1]).toBe(`┃docker${' '.repeat(18)}↑ 3 lines back┃`);
  });
});

describe('paneLayout', () => {
  const shape = (count: number, width: number, height: number) =>
    paneLayout(count, width, height).map((row) => row.map((cell) => `${cell.width}x${cell.height}`).join(' '));

  it('stands two or three panes side by side on a wide terminal', () => {
    expect(shape(2, 160, 43)).toEqual(['80x43 80x43']);
    expect(shape(3, 160, 43)).toEqual(['54x43 53x43 53x43']);
  });

  it('makes a grid of four or more', () => {
    expect(shape(4, 160, 43)).toEqual(['80x22 80x22', '80x21 80x21']);
    expect(shape(5, 160, 43)).toEqual(['54x22 53x22 53x22', '80x21 80x21']);
  });

  it('stacks the panes on a narrow terminal', () => {
    expect(shape(2, 80, 22)).toEqual(['80x11', '80x11']);
    expect(shape(4, 80, 22)).toEqual(['80x6', '80x6', '80x5', '80x5']);
  });

  it('always fills exactly the space given', () => {
    for (const [count, width, height] of [[1, 80, 22], [3, 101, 31], [7, 200, 50], [9, 97, 23]] as const) {
      const layout = paneLayout(count, width, height);
      expect(layout.flat()).toHaveLength(count);
      expect(layout.reduce((sum, row) => sum + (row[0]?.height ?? 0), 0)).toBe(height);
      for (const row of layout) expect(row.reduce((sum, cell) => sum + cell.width, 0)).toBe(width);
    }
  });
});

describe('small parts', () => {
  it('formats elapsed time from timestamps', () => {
    expect(renderToString(<ElapsedTime startedAt={1000} endedAt={null} now={3567} />)).toBe('2.50 s');
    expect(renderToString(<ElapsedTime startedAt={1000} endedAt={2017} now={9000} />)).toBe('1.02 s');
    expect(renderToString(<ElapsedTime startedAt={0} endedAt={125_000} now={200_000} />)).toBe('2m 05s');
    expect(renderToString(<ElapsedTime startedAt={null} endedAt={null} now={9000} />)).toBe('–');
  });

  it('names every status', () => {
    expect(renderToString(<StatusBadge status="running" />)).toBe('● running');
    expect(renderToString(<StatusBadge status="passed" />)).toBe('✓ passed');
    expect(renderToString(<StatusBadge status="failed" />)).toBe('✗ failed');
  });

  it('leaves out whole hints that do not fit', () => {
    const hints = [{ keys: 'tab', text: 'focus' }, { keys: 'z', text: 'zoom' }, { keys: '?', text: 'help' }];
    expect(fitHints(hints, 100)).toHaveLength(3);
    expect(fitHints(hints, 17).map((hint) => hint.keys)).toEqual(['tab', 'z']);
    expect(renderToString(<KeyHints hints={hints} width={80} />)).toBe('tab focus  z zoom  ? help');
  });

  it('aligns the results table and says how many rows it left out', () => {
    const text = renderToString(
      <ResultsTable model={tableOf(['mode', 'total'], [['docker', '1.2 s'], ['podman', '10.5 s'], ['host', '1 s']], new Set([1]))} maxRows={2} />,
      { columns: 80 },
    );
    expect(rows(text)).toEqual(['mode     total', '──────  ──────', 'docker   1.2 s', '… 2 more rows (all of them are printed when you quit)']);
  });

  it('shows every scope in the help when it fits, else the first ones', () => {
    const all = helpGroups(ALL_SCOPES);
    expect(packGroups(all, 3, 40)).not.toBeNull();
    expect(packGroups(all, 1, 20)).toBeNull();
    const small = renderToString(<HelpOverlay groups={all} width={60} height={16} />, { columns: 60 });
    expect(rows(small).length).toBe(16);
    expect(small).toContain('everywhere');
    const big = renderToString(<HelpOverlay groups={all} width={160} height={43} />, { columns: 160 });
    expect(big).toContain('results');
    expect(big).toContain('write RESULTS.md or the --markdown file');
  });
});
