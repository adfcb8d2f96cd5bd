import { Box, Text } from 'ink';

export interface OutputTailProps {
  /** The lines to show, oldest first; at most `height` of them are drawn. */
  lines: readonly string[];
  width: number;
  height: number;
}

/** One row per line, cut at the pane's edge, never wrapped into the neighbour. */
export function OutputTail({ lines, width, height }: OutputTailProps) {
  const shown = lines.length > height ? lines.slice(lines.length - height) : lines;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {shown.map((line, index) => (
        // Rows are positions in a window that slides; the index is their identity.
        <Text key={index} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}
