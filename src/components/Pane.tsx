import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { OutputTail } from './OutputTail.js';

export interface PaneProps {
  width: number;
  height: number;
  focused: boolean;
  /** The header row: mode, status, step, timer… (cut at the border). */
  header: ReactNode;
  /** Right side of the header: scroll position, dropped lines. */
  aside?: string;
  lines: readonly string[];
}

/** Rows a pane of this height leaves for output (border and header take three). */
export function paneBodyHeight(height: number): number {
  return Math.max(0, height - 3);
}

export function Pane({ width, height, focused, header, aside, lines }: PaneProps) {
  const inner = Math.max(0, width - 2);
  return (
    <Box
      width={width}
      height={height}
      flexDirection="column"
      borderStyle={focused ? 'bold' : 'round'}
      borderColor={focused ? 'cyan' : 'gray'}
      overflow="hidden"
    >
      <Box width={inner} height={1}>
        <Box flexGrow={1} flexShrink={1} overflow="hidden">
          <Text wrap="truncate-end">{header}</Text>
        </Box>
        {aside ? (
          <Box flexShrink={0} marginLeft={1}>
            <Text dimColor wrap="truncate-end">{aside}</Text>
          </Box>
        ) : null}
      </Box>
      <OutputTail lines={lines} width={inner} height={paneBodyHeight(height)} />
    </Box>
  );
}
